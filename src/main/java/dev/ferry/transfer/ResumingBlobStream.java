package dev.ferry.transfer;

import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import dev.ferry.registry.BlobRange;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's body for a reader that cannot start over (a layer being applied to a tree, or summed by
 * {@code history --sizes}): when the body breaks off or ends short, the blob is asked for again
 * from the bytes already read, as often as the source resumes a download; a source that answers from an earlier byte (a registry that
 * ignores {@code Range}) has the bytes already read skipped. Nothing is verified here: the reader
 * hashes everything it reads, so the digest covers the bytes of every attempt together.
 */
public final class ResumingBlobStream extends InputStream {

    private final ImageSource source;
    private final Descriptor blob;
    private int resumesLeft;
    private InputStream current;
    private long position;
    private boolean failed;

    public ResumingBlobStream(ImageSource source, Descriptor blob) throws IOException {
        this.source = source;
        this.blob = blob;
        this.resumesLeft = source.resumeAttempts();
        this.current = source.openBlobFrom(blob, 0, abort -> { }).body();
    }

    /** Whether the last failure came from the source (after every resume), not from what reads it. */
    public boolean failed() {
        return failed;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            IOException cut;
            try {
                int n = current.read(b, off, len);
                if (n > 0) {
                    position += n;
                    return n;
                }
                if (n < 0 && position >= blob.size()) {
                    return -1;
                }
                if (n == 0) {
                    return 0;
                }
                cut = new EOFException("the body of blob " + blob.digest() + " ended at byte " + position + " of "
                        + blob.size());
            } catch (VerificationException e) {
                failed = true;
                throw e;
            } catch (IOException e) {
                cut = e;
            }
            resume(cut);
        }
    }

    /** Opens the blob again after {@code position}, or rethrows {@code cut} once no resume is left. */
    private void resume(IOException cut) throws IOException {
        closeQuietly();
        while (true) {
            if (resumesLeft-- <= 0) {
                failed = true;
                throw cut;
            }
            try {
                BlobRange range = source.openBlobFrom(blob, position, abort -> { });
                current = range.body();
                skipFully(current, position - range.start());
                return;
            } catch (VerificationException e) {
                failed = true;
                throw e;
            } catch (IOException e) {
                closeQuietly();
                cut.addSuppressed(e);
            }
        }
    }

    private static void skipFully(InputStream in, long bytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the blob ended before the bytes already read");
            }
            left -= n;
        }
    }

    private void closeQuietly() {
        try {
            current.close();
        } catch (IOException | RuntimeException e) {
            // the connection is being given up anyway
        }
    }

    @Override
    public void close() throws IOException {
        current.close();
    }
}
