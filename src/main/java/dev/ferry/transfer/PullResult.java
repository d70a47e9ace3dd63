package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import java.time.Duration;
import java.util.List;

/**
 * What a pull stored: the manifest index.json now points at, and every blob with what happened to
 * it.
 */
public record PullResult(String reference, Descriptor manifest, List<BlobRecord> blobs, Duration elapsed) {

    /** Bytes that crossed the network for blobs (manifests and configs not counted). */
    public long bytesDownloaded() {
        return blobs.stream().mapToLong(BlobRecord::transferred).sum();
    }

    /** How often blob bodies were resumed after the connection broke. */
    public int resumes() {
        return blobs.stream().mapToInt(BlobRecord::resumes).sum();
    }
}
