package dev.ferry.transfer;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ManifestException;
import dev.ferry.reference.Repository;
import dev.ferry.registry.PushClient;
import dev.ferry.registry.RegistryException;
import dev.ferry.registry.UploadSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Copies one blob into a destination registry without touching the disk: skipped when the
 * destination has it, mounted when another repository of the destination registry has it, else
 * streamed from the source into an upload, its digest verified on the way. An upload that breaks
 * off starts again from the beginning (a body that was sent cannot be sent again); one whose source
 * does not match its digest is abandoned, and the failure stops the copy before any manifest.
 */
final class BlobCopier {

    private final ImageSource source;
    private final PushClient destination;
    private final Repository mountFrom;
    private final TransferListener listener;
    private final Cancellation cancellation;

    /** @param mountFrom the repository of the destination registry to mount blobs from, or null */
    BlobCopier(ImageSource source, PushClient destination, Repository mountFrom, TransferListener listener,
            Cancellation cancellation) {
        this.source = source;
        this.destination = destination;
        this.mountFrom = mountFrom;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    BlobRecord copy(Descriptor blob) throws IOException {
        listener.started(blob);
        AtomicLong reported = new AtomicLong();
        int restarts = 0;
        boolean freshToken = false;
        while (true) {
            cancellation.throwIfCancelled();
            UploadSession session = null;
            try (Cancellation.Scope aborts = cancellation.scope()) {
                Consumer<Runnable> onAbort = aborts::register;
                // step: nothing moves for a blob the destination has, or can link from a sibling repository
                if (destination.hasBlob(blob)) {
                    return finished(blob, BlobOutcome.SKIPPED, 0, restarts);
                }
                if (mountFrom != null) {
                    Optional<UploadSession> opened = destination.mount(blob, mountFrom);
                    if (opened.isEmpty()) {
                        return finished(blob, BlobOutcome.MOUNTED, 0, restarts);
                    }
                    session = opened.get(); // the registry could not mount: upload into the session it opened
                } else {
                    session = destination.startUpload();
                }
                // step: stream source to destination; the source verifies the digest before the last bytes go
                AtomicLong sent = new AtomicLong();
                try (InputStream in = source.openBlob(blob, onAbort)) {
                    destination.upload(session, in, blob, n -> {
                        // a restarted upload shows progress only past what an earlier attempt showed
                        long now = sent.addAndGet(n);
                        long before = reported.getAndAccumulate(now, Math::max);
                        if (now > before) {
                            listener.progressed(blob, now - before);
                        }
                    }, onAbort);
                }
                return finished(blob, BlobOutcome.COPIED, blob.size(), restarts);
            } catch (IOException | RuntimeException e) {
                if (session != null) {
                    destination.cancel(session);
                }
                // step: an upload refused mid-way gets one more try with a fresh token (the streamed
                // body could not be sent again on the spot, as other requests are after a 401)
                boolean refusedUpload = session != null && e instanceof RegistryException r && r.status() == 401;
                boolean tokenRetry = refusedUpload && !freshToken && !cancellation.isCancelled();
                if (!tokenRetry && (!(e instanceof IOException io) || cancellation.isCancelled() || !restartable(io)
                        || restarts >= destination.retryTimes())) {
                    throw e;
                }
                if (tokenRetry) {
                    destination.forgetToken();
                    freshToken = true;
                }
                destination.restarting(blob, restarts, e);
                restarts++;
            }
        }
    }

    private BlobRecord finished(Descriptor blob, BlobOutcome outcome, long transferred, int restarts) {
        BlobRecord record = new BlobRecord(blob, null, outcome, transferred, restarts);
        listener.finished(record);
        return record;
    }

    /**
     * Broken connections, timeouts, a lost upload offset (416) and server errors may pass; wrong
     * content, refused access and other client errors would only repeat.
     */
    static boolean restartable(IOException e) {
        return switch (e) {
            case VerificationException v -> false;
            case AuthenticationException a -> false;
            case RegistryException r -> r.status() == 408 || r.status() == 416 || r.status() == 429
                    || r.status() >= 500 || r.kind() == RegistryException.Kind.INVALID_RESPONSE;
            case ManifestException m -> false;
            default -> true;
        };
    }
}
