package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets for a plain-HTTP MockWebServer that hang up on a TLS handshake at once. ferry
 * tries HTTPS first on loopback; MockWebServer would read the ClientHello as a request line and,
 * when its bytes happen to parse, wait for more headers until the client's read timeout. A real
 * registry answers such a handshake immediately, and so do these sockets.
 */
final class PlainHttpSockets extends ServerSocketFactory {

    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                Socket socket = new TlsRefusingSocket();
                implAccept(socket);
                return socket;
            }
        };
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket socket = createServerSocket();
        socket.bind(new InetSocketAddress(address, port), backlog);
        return socket;
    }

    private static final class TlsRefusingSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new PushbackInputStream(super.getInputStream(), 1) {
                    private boolean checked;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (!checked) {
                            checked = true;
                            int first = super.read();
                            if (first == TLS_HANDSHAKE_RECORD) {
                                TlsRefusingSocket.this.close();
                                return -1;
                            }
                            if (first >= 0) {
                                unread(first);
                            }
                        }
                        return super.read(b, off, len);
                    }
                };
            }
            return in;
        }
    }
}
