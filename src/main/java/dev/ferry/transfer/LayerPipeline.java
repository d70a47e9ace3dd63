package dev.ferry.transfer;

import dev.ferry.compress.Compression;
import dev.ferry.digest.Digest;
import dev.ferry.digest.Hasher;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.BlobWriter;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryUnreachableException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Fetches one blob into a layout in a single pass: what arrives from the socket is hashed for the
 * distribution digest, written to a partial file, and, for a layer, decompressed and hashed again
 * for its diff_id. The blob gets its digest name only when both digests and the size matched.
 *
 * <p>A transfer that breaks off is resumed from what the partial file holds (which may also be left
 * by a killed run): the pass then reads the file's bytes back before the network's, so the digests
 * still cover the whole blob, and appends only the network's to the file.
 */
final class LayerPipeline {

    static final int BUFFER = 1024 * 1024;

    private final ImageSource source;
    private final OciLayout layout;
    private final TransferListener listener;
    private final Cancellation cancellation;

    LayerPipeline(ImageSource source, OciLayout layout, TransferListener listener, Cancellation cancellation) {
        this.source = source;
        this.layout = layout;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /**
     * @param diffId the content digest the config promises for this layer, or null when the blob
     *     is not a layer of an image config (artifacts): then only the distribution digest counts
     */
    BlobRecord fetch(Descriptor blob, Digest diffId) throws IOException {
        listener.started(blob);
        Progress progress = new Progress(blob);
        // step: a partial file left by a run that was killed is where the transfer starts
        long transferred;
        int resumes = 0;
        try (BlobWriter writer = layout.resumableBlob(blob)) {
            int cutsWithoutProgress = 0;
            long furthest = writer.length();
            boolean restartedFromZero = false;
            while (true) {
                try {
                    transfer(blob, diffId, writer, progress);
                    break;
                } catch (BodyCut cut) {
                    // step: a body cut mid-way resumes from what the file holds; only cuts that brought
                    // no new bytes count against the limit, so a slow, flaky link still finishes
                    long held = writer.length();
                    cutsWithoutProgress = held > furthest ? 0 : cutsWithoutProgress + 1;
                    furthest = Math.max(furthest, held);
                    resumes++;
                    if (cancellation.isCancelled() || cutsWithoutProgress > source.resumeAttempts()) {
                        writer.keepForResume();
                        throw cut.failure();
                    }
                } catch (PrefixRejected rejected) {
                    // step: a prefix is never trusted over a whole download: once more from zero
                    if (restartedFromZero || cancellation.isCancelled()) {
                        throw rejected.failure();
                    }
                    restartedFromZero = true;
                    writer.truncate(0);
                } catch (VerificationException e) {
                    throw e; // the partial file is deleted
                } catch (IOException | RuntimeException e) {
                    writer.keepForResume(); // cancelled, or the registry refused: a later run resumes
                    throw e;
                }
            }
            // step: only a verified blob gets its digest name
            writer.commit();
            transferred = writer.appended();
        }
        BlobRecord record = new BlobRecord(blob, diffId, BlobOutcome.DOWNLOADED, transferred, resumes);
        listener.finished(record);
        return record;
    }

    /**
     * One pass over the whole blob: the bytes the partial file holds, then the rest from the source.
     * Returns normally only when the size, the digest and the diff_id matched.
     */
    private void transfer(Descriptor blob, Digest diffId, BlobWriter writer, Progress progress)
            throws IOException {
        try (Cancellation.Scope aborts = cancellation.scope()) {
            transfer(blob, diffId, writer, progress, aborts::register);
        }
    }

    private void transfer(Descriptor blob, Digest diffId, BlobWriter writer, Progress progress,
            Consumer<Runnable> onAbort) throws IOException {
        long held = writer.length();
        // step: ask the source for the rest; it may send the whole blob instead (then start again)
        BlobRange rest = held == blob.size() ? new BlobRange(held, InputStream.nullInputStream())
                : source.openBlobFrom(blob, held, onAbort);
        TeeInputStream tee = null;
        try (InputStream network = rest.body()) {
            if (rest.start() < held) {
                writer.truncate(rest.start());
            }
            // step: the bytes on disk, then the network's, are checked for size and digest at the end
            InputStream whole = new SequenceInputStream(writer.prefix(rest.start()), network);
            VerifyingInputStream verified = new VerifyingInputStream(whole, "blob " + blob.digest(), blob.digest(),
                    blob.size());
            // step: bytes new to the partial file are appended to it; all go to the progress display
            tee = new TeeInputStream(verified, writer.stream(), rest.start(), progress.attempt(), cancellation);
            // step: decompress in the same pass and hash the tar for the content digest
            if (diffId != null) {
                Digest actual = contentDigest(blob, tee, diffId);
                if (!actual.equals(diffId)) {
                    throw new VerificationException("layer " + blob.digest(), "diff_id mismatch: the config says "
                            + diffId + ", the uncompressed layer is " + actual);
                }
            }
            // step: read to the end, so the distribution digest and size are checked (trailing bytes count)
            tee.drain();
        } catch (RegistryUnreachableException e) {
            if (tee != null && tee.isSourceFailure(e)) {
                throw new BodyCut(e);
            }
            throw e;
        } catch (VerificationException e) {
            if (rest.start() > 0) {
                throw new PrefixRejected(e);
            }
            throw e;
        }
    }

    private static Digest contentDigest(Descriptor blob, TeeInputStream tee, Digest diffId) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(tee, 64 * 1024);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        Compression compression = Compression.detect(head, head.length);
        Hasher tarHash = diffId.newHasher();
        byte[] buffer = new byte[BUFFER];
        // The decompressor must not close the network stream: it is drained afterwards.
        InputStream unclosable = new FilterInputStream(buffered) {
            @Override
            public void close() {
            }
        };
        try (InputStream tar = compression.open(unclosable)) {
            int n;
            while ((n = tar.read(buffer)) >= 0) {
                tarHash.update(buffer, 0, n);
            }
        } catch (IOException e) {
            if (tee.isSourceFailure(e)) {
                throw e;
            }
            throw new VerificationException("layer " + blob.digest(), "cannot decompress it as "
                    + compression.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        }
        // What the decompressor left unread is drained from the tee by the caller: the buffered
        // bytes have passed through the tee already.
        return tarHash.digest();
    }

    /** The network failed in the middle of the body: the transfer can resume from what arrived. */
    private static final class BodyCut extends IOException {
        BodyCut(RegistryUnreachableException cause) {
            super(cause);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    /** The blob did not verify, and its first bytes were those of an earlier attempt or run. */
    private static final class PrefixRejected extends IOException {
        PrefixRejected(VerificationException cause) {
            super(cause);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    /**
     * Reports each byte of a blob to the progress display once, though a restart reads the first
     * bytes again.
     */
    private final class Progress {
        private final Descriptor blob;
        private long reported;

        Progress(Descriptor blob) {
            this.blob = blob;
        }

        LongConsumer attempt() {
            long[] position = {0};
            return n -> {
                position[0] += n;
                if (position[0] > reported) {
                    listener.progressed(blob, position[0] - reported);
                    reported = position[0];
                }
            };
        }
    }
}
