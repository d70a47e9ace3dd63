package dev.ferry.transfer;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ManifestException;
import dev.ferry.registry.RegistryException;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * The attempt policy of every blob move, download or upload: a body that broke off resumes after
 * what arrived, a move that failed in a way that may pass starts again from zero, and both count
 * against a limit ({@code --retry-times}): every resume counts, so a source that always cuts
 * after a few bytes ends the transfer. The first failure that stays is thrown; the others stop.
 */
final class BlobMover {

    private final ImageSource source;
    private final ImageDestination destination;
    private final TransferListener listener;
    private final Cancellation cancellation;

    BlobMover(ImageSource source, ImageDestination destination, TransferListener listener,
            Cancellation cancellation) {
        this.source = source;
        this.destination = destination;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    BlobRecord move(Descriptor blob, Digest diffId) throws IOException {
        listener.started(blob);
        Progress progress = new Progress(blob);
        int resumes = 0;
        int restarts = 0;
        try (BlobSink sink = destination.sink(blob, diffId)) {
            while (true) {
                cancellation.throwIfCancelled();
                Attempt attempt;
                try (Cancellation.Scope aborts = cancellation.scope()) {
                    attempt = sink.attempt(source, progress.attempt(), aborts::register, cancellation::isCancelled);
                } catch (VerificationException e) {
                    throw e; // wrong bytes: nothing is kept
                } catch (IOException | RuntimeException e) {
                    keep(sink, e); // cancelled, or the source refused: a later run resumes
                    throw e;
                }
                switch (attempt) {
                    case Attempt.Done done -> {
                        BlobRecord record = new BlobRecord(blob, diffId, BlobOutcome.FETCHED, done.transferred(),
                                resumes + restarts);
                        listener.finished(record);
                        return record;
                    }
                    // step: a body cut mid-way resumes after what arrived; every resume counts
                    case Attempt.Resume resume -> {
                        resumes++;
                        if (cancellation.isCancelled() || resumes > source.resumeAttempts()) {
                            keep(sink, resume.failure());
                            throw resume.failure();
                        }
                    }
                    // step: a move that failed as a whole starts again from zero, as often as requests are retried
                    case Attempt.Restart restart -> {
                        if (cancellation.isCancelled()) {
                            throw restart.failure();
                        }
                        if (restart.counted()) {
                            if (restarts >= destination.restartAttempts()) {
                                throw restart.failure();
                            }
                            destination.restarting(blob, restarts, restart.failure());
                            restarts++;
                        }
                    }
                }
            }
        }
    }

    /** Keeps what arrived for a later run; a failure to do so is added to the one being reported. */
    private static void keep(BlobSink sink, Exception failure) {
        try {
            sink.keep();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Whether a failed move may pass when started again: broken connections, timeouts and what the
     * registry calls temporary; not wrong content, refused access or a malformed answer of ours.
     */
    static boolean restartable(IOException e) {
        return switch (e) {
            case VerificationException v -> false;
            case AuthenticationException a -> false;
            case RegistryException r -> r.restartable();
            case ManifestException m -> false;
            default -> true;
        };
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

        synchronized void advance(long position) {
            if (position > reported) {
                listener.progressed(blob, position - reported);
                reported = position;
            }
        }

        LongConsumer attempt() {
            long[] position = {0};
            return n -> {
                position[0] += n;
                advance(position[0]);
            };
        }
    }
}
