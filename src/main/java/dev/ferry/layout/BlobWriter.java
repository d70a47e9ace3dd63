package dev.ferry.layout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one blob into a partial file inside the layout. Only {@link #commit()}, called after the
 * content was verified, moves it to its digest path; closing without commit deletes the partial
 * file, so the layout never holds an unverified blob under a digest name.
 */
public final class BlobWriter implements AutoCloseable {

    private final Path partial;
    private final Path target;
    private final FileChannel channel;
    private final OutputStream stream;
    private boolean committed;

    BlobWriter(Path partial, Path target) throws IOException {
        this.partial = partial;
        this.target = target;
        this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    /** Where to write the blob's bytes. */
    public OutputStream stream() {
        return stream;
    }

    /**
     * Makes the verified blob durable and visible under its digest: fsync, then an atomic rename.
     * Another process may have committed the same blob meanwhile; the content is the same.
     */
    public void commit() throws IOException {
        channel.force(false);
        channel.close();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
    }

    public Path target() {
        return target;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            channel.close();
            Files.deleteIfExists(partial);
        }
    }

}
