package dev.ferry;

import dev.ferry.http.RetryPolicy;
import dev.ferry.http.TransferLimits;
import dev.ferry.registry.PushClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * @param debugLog where to log each HTTP request, or null
 * @param warnings where warnings go (standard error for the CLI)
 * @param limits every exchange's deadline (grace + size at a minimum rate); null for the default
 *     of the timeouts
 */
public record FerryOptions(PrintStream debugLog, PrintStream warnings, Duration connectTimeout, Duration readTimeout,
        RetryPolicy retry, long uploadChunkSize, TransferLimits limits) {

    public FerryOptions(PrintStream debugLog, PrintStream warnings, Duration connectTimeout, Duration readTimeout,
            RetryPolicy retry, long uploadChunkSize) {
        this(debugLog, warnings, connectTimeout, readTimeout, retry, uploadChunkSize, null);
    }

    public FerryOptions(PrintStream debugLog, PrintStream warnings, Duration connectTimeout, Duration readTimeout) {
        this(debugLog, warnings, connectTimeout, readTimeout, RetryPolicy.defaults(),
                PushClient.DEFAULT_CHUNK_SIZE);
    }

    /** @param minRate bytes/s; @param grace null for the default of the timeouts set before */
    public FerryOptions withMinRate(long minRate, Duration grace) {
        return new FerryOptions(debugLog, warnings, connectTimeout, readTimeout, retry, uploadChunkSize, new TransferLimits(
                grace != null ? grace : TransferLimits.defaultGrace(connectTimeout, readTimeout), minRate));
    }

    public static FerryOptions defaults() {
        return new FerryOptions(null, new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    public FerryOptions withDebugLog(PrintStream log) {
        return new FerryOptions(log, warnings, connectTimeout, readTimeout, retry, uploadChunkSize, limits);
    }

    public FerryOptions withWarnings(PrintStream out) {
        return new FerryOptions(debugLog, out, connectTimeout, readTimeout, retry, uploadChunkSize, limits);
    }

    /** @param connect how long connecting may take; @param read how long a transfer may get no bytes */
    public FerryOptions withTimeouts(Duration connect, Duration read) {
        return new FerryOptions(debugLog, warnings, connect, read, retry, uploadChunkSize, limits);
    }

    public FerryOptions withRetry(RetryPolicy policy) {
        return new FerryOptions(debugLog, warnings, connectTimeout, readTimeout, policy, uploadChunkSize, limits);
    }

    /** Blobs larger than this are uploaded in PATCH chunks of this size; smaller ones in one PUT. */
    public FerryOptions withUploadChunkSize(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the upload chunk size must be positive");
        }
        return new FerryOptions(debugLog, warnings, connectTimeout, readTimeout, retry, bytes, limits);
    }
}
