package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.digest.Digest;
import dev.ferry.transfer.TransferResult;
import java.util.List;

/** The machine-readable summary {@code --format json} prints on standard out. */
@JsonPropertyOrder({"Reference", "Destination", "Digest", "MediaType", "Blobs", "BytesDownloaded", "Retries", "Resumes", "Seconds"})
record TransferReport(
        @JsonProperty("Reference") String reference,
        @JsonProperty("Destination") String destination,
        @JsonProperty("Digest") Digest digest,
        @JsonProperty("MediaType") String mediaType,
        @JsonProperty("Blobs") List<Blob> blobs,
        @JsonProperty("BytesDownloaded") long bytesDownloaded,
        @JsonProperty("Retries") long retries,
        @JsonProperty("Resumes") int resumes,
        @JsonProperty("Seconds") double seconds) {

    @JsonPropertyOrder({"Digest", "Size", "MediaType", "DiffID", "Status"})
    record Blob(
            @JsonProperty("Digest") Digest digest,
            @JsonProperty("Size") long size,
            @JsonProperty("MediaType") String mediaType,
            @JsonProperty("DiffID") @JsonInclude(JsonInclude.Include.NON_NULL) Digest diffId,
            @JsonProperty("Status") String status) {
    }

    static TransferReport of(TransferResult result, String destination, long retries) {
        return new TransferReport(result.reference(), destination, result.manifest().digest(),
                result.manifest().mediaType(),
                result.blobs().stream().map(b -> new Blob(b.descriptor().digest(), b.descriptor().size(),
                        b.descriptor().mediaType(), b.diffId(), b.outcome().word())).toList(),
                result.bytesDownloaded(), retries, result.resumes(), result.elapsed().toNanos() / 1e9);
    }
}
