package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import java.time.Duration;
import java.util.List;

/**
 * What a pull or copy did: the manifest the destination now points at (index.json's entry, or the
 * pushed tag), and every blob with what happened to it.
 */
public record TransferResult(String reference, Descriptor manifest, List<BlobRecord> blobs, Duration elapsed) {

    /** Blob bytes that crossed the network from the source (manifests not counted). */
    public long bytesDownloaded() {
        return blobs.stream().mapToLong(BlobRecord::transferred).sum();
    }

    /** How often blob bodies were resumed after the connection broke. */
    public int resumes() {
        return blobs.stream().mapToInt(BlobRecord::resumes).sum();
    }
}
