package dev.ferry.sync;

import dev.ferry.digest.Digest;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blobs of one round in the target registry: the first image that needs a blob uploads it, the
 * others wait for that upload and mount it from the repository it went to, so a blob several
 * images share crosses the network once per round.
 */
final class SharedBlobs {

    /** Bounds the wait for another image's upload; after it the waiter uploads on its own. */
    private static final long MAX_WAIT_MINUTES = 60;

    private final Map<Digest, CompletableFuture<Repository>> landed = new ConcurrentHashMap<>();

    /**
     * Null when the caller is the first to need the blob and must move it (then {@link #done}
     * follows); otherwise the repository it landed in, or null when its upload failed.
     */
    Claim claim(Digest digest) throws IOException {
        CompletableFuture<Repository> mine = new CompletableFuture<>();
        CompletableFuture<Repository> first = landed.putIfAbsent(digest, mine);
        if (first == null) {
            return new Claim(true, null);
        }
        try {
            return new Claim(false, first.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while another image uploads blob " + digest);
        } catch (ExecutionException | TimeoutException e) {
            return new Claim(false, null);
        }
    }

    /** @param owner true when this caller moves the blob; @param holder where another image put it */
    record Claim(boolean owner, Repository holder) {
    }

    /** The owner's blob is in {@code repository}, or (null) its move failed: waiters go on. */
    void done(Digest digest, Repository repository) {
        CompletableFuture<Repository> f = landed.get(digest);
        if (f != null) {
            if (repository == null) {
                landed.remove(digest, f);
            }
            f.complete(repository);
        }
    }
}
