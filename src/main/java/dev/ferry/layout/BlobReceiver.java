package dev.ferry.layout;

import dev.ferry.compress.Compression;
import dev.ferry.digest.Digest;
import dev.ferry.digest.Hasher;
import dev.ferry.digest.VerificationException;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.manifest.Descriptor;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The one door through which a blob's bytes enter a layout (or, discarding, are only checked): it
 * verifies the size and digest itself, and the diff_id of a layer in the same pass, and gives the
 * blob its digest name only when all matched. Bytes a partial file holds from an earlier attempt
 * or a killed run are read back through the same checks, so a resumed blob is verified whole.
 */
public final class BlobReceiver implements AutoCloseable {

    static final int BUFFER = 1024 * 1024;

    /** How one attempt ended, when it did not fail for good. */
    public sealed interface Result {
    }

    /**
     * The blob verified and is stored (or, discarding, was checked).
     *
     * @param appended the bytes that came from sources over all attempts (not those held before)
     */
    public record Stored(long appended) implements Result {
    }

    /** The source failed in the middle of the body; what arrived is kept for a resume. */
    public record Cut(IOException failure) implements Result {
    }

    /**
     * The blob did not verify, and its first bytes were those of an earlier attempt or run: they are
     * dropped, and an attempt from zero may still succeed.
     */
    public record PrefixRejected(VerificationException failure) implements Result {
    }

    private final Descriptor blob;
    private final Digest diffId;
    private final BlobWriter writer;
    private long read;

    private BlobReceiver(Descriptor blob, Digest diffId, BlobWriter writer) {
        this.blob = blob;
        this.diffId = diffId;
        this.writer = writer;
    }

    static BlobReceiver into(BlobWriter writer, Descriptor blob, Digest diffId) {
        return new BlobReceiver(blob, diffId, writer);
    }

    /**
     * Checks a blob without storing it.
     *
     * @param diffId the diff_id the config promises for this layer, or null when it is no image layer
     */
    public static BlobReceiver discarding(Descriptor blob, Digest diffId) {
        return new BlobReceiver(blob, diffId, null);
    }

    /** How many bytes of the blob are held from earlier attempts: where the source may resume. */
    public long held() throws IOException {
        return writer == null ? 0 : writer.trustedLength();
    }

    /**
     * One pass over the whole blob: the bytes held before {@code start}, then {@code rest}. Returns
     * {@link Stored} only when the size, the digest and the diff_id matched.
     *
     * @param start where {@code rest} starts, at most {@link #held()}; held bytes past it are dropped
     * @param progress receives every byte count of the pass, held bytes included
     * @throws VerificationException when a blob read from its first byte does not verify
     */
    public Result accept(long start, InputStream rest, LongConsumer progress, BooleanSupplier cancelled)
            throws IOException {
        checkStart(start);
        try (InputStream network = rest) {
            if (writer == null) {
                return verify(start, network, OutputStream.nullOutputStream(), progress, cancelled, network);
            }
            writer.truncate(start);
            return verify(start, new SequenceInputStream(writer.prefix(start), network), writer.stream(), progress,
                    cancelled, network);
        }
    }

    /** True when the receiver stores the blob, so that parts can be written at their offsets. */
    public boolean storing() {
        return writer != null;
    }

    /**
     * As {@link #accept}, with the rest of the blob written by {@code parts} into the partial file
     * at its offsets, and read back in order as it is filled. Closes {@code parts}, which stops
     * its fetches, before returning.
     */
    public Result acceptParts(long start, BlobParts parts, LongConsumer progress, BooleanSupplier cancelled)
            throws IOException {
        checkStart(start);
        if (writer == null) {
            throw new IllegalStateException("parts are written only into a stored blob");
        }
        try (parts) {
            writer.truncate(start);
            writer.beginParts(start);
            parts.start(start, new BlobParts.Target() {
                @Override
                public void write(long position, java.nio.ByteBuffer bytes) throws IOException {
                    writer.writeAt(position, bytes);
                }

                @Override
                public void filledTo(long end) throws IOException {
                    writer.filledTo(end);
                }
            });
            InputStream filled = writer.filled(start, blob.size(), parts);
            return verify(start, new SequenceInputStream(writer.prefix(start), filled), OutputStream.nullOutputStream(),
                    progress, cancelled, parts::close);
        }
    }

    private void checkStart(long start) throws IOException {
        if (start < 0 || start > held()) {
            throw new IllegalArgumentException("a resume must start within the bytes held");
        }
    }

    /** @param source stopped before the partial file is touched after a failure, so that nothing writes into it */
    private Result verify(long start, InputStream whole, OutputStream sink, LongConsumer progress,
            BooleanSupplier cancelled, java.io.Closeable source) throws IOException {
        TeeInputStream tee = null;
        try {
            // step: the bytes held, then the source's, are checked for size and digest at the end
            VerifyingInputStream verified = new VerifyingInputStream(whole, "blob " + blob.digest(), blob.digest(),
                    blob.size());
            // step: bytes new to the partial file are appended to it; all go to the progress display
            tee = new TeeInputStream(verified, sink, start, n -> {
                read += n;
                progress.accept(n);
            }, cancelled);
            // step: decompress in the same pass and hash the tar for the content digest
            if (diffId != null) {
                Digest actual = contentDigest(tee);
                if (!actual.equals(diffId)) {
                    throw new VerificationException("layer " + blob.digest(), "diff_id mismatch: the config says "
                            + diffId + ", the uncompressed layer is " + actual);
                }
            }
            // step: read to the end, so the distribution digest and size are checked (trailing bytes count)
            tee.drain();
        } catch (VerificationException e) {
            source.close();
            if (start > 0) {
                writer.truncate(0);
                return new PrefixRejected(e);
            }
            throw e;
        } catch (IOException e) {
            source.close();
            if (tee != null && tee.isSourceFailure(e)) {
                return new Cut(e);
            }
            throw e;
        }
        // step: only a verified blob gets its digest name
        if (writer != null) {
            writer.commit();
            return new Stored(writer.appended());
        }
        return new Stored(read);
    }

    private Digest contentDigest(TeeInputStream tee) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(tee, 64 * 1024);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        Compression compression = Compression.detect(head, head.length);
        byte[] buffer = new byte[BUFFER];
        if (compression == Compression.NONE && diffId.algorithm().equals(blob.digest().algorithm())) {
            // An uncompressed layer is its own tar: its diff_id is its digest, which the verifying
            // stream checks at the end of this read, so the bytes are not hashed a second time.
            while (buffered.read(buffer) >= 0) {
                // counted and hashed by the verifying stream
            }
            return blob.digest();
        }
        Hasher tarHash = diffId.newHasher();
        // The decompressor must not close the source: it is drained afterwards.
        InputStream unclosable = new FilterInputStream(buffered) {
            @Override
            public void close() {
            }
        };
        try (InputStream tar = compression.open(unclosable)) {
            Compression.drain(tar, buffer, tarHash::update);
        } catch (IOException e) {
            if (tee.isSourceFailure(e)) {
                throw e;
            }
            throw new VerificationException("layer " + blob.digest(), "cannot decompress it as "
                    + compression.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        }
        // What the decompressor left unread is drained by the caller: the buffered bytes have
        // passed through the tee already.
        return tarHash.digest();
    }

    /**
     * Keeps what the partial file holds when closing without a stored blob, for a later resume; an
     * empty one (a transfer stopped before its first byte) is not worth keeping.
     */
    public void keepForResume() throws IOException {
        if (writer != null && writer.trustedLength() > 0) {
            writer.keepForResume();
        }
    }

    /** Deletes the partial file unless the blob was stored or {@link #keepForResume()} was called. */
    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
