package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.http.HttpClients;
import dev.ferry.http.Retrier;
import dev.ferry.http.RetryPolicy;
import dev.ferry.http.TransferLimits;
import dev.ferry.manifest.Descriptor;
import dev.ferry.reference.ImageReference;
import java.io.ByteArrayInputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** A registry that takes an upload's bytes slower than the minimum rate ends the upload at its deadline. */
class UploadDeadlineTest {

    @Test
    void anUploadTheRegistryReadsTooSlowlyFailsAtItsDeadlineNamingTheBlobAndTheRate() throws Exception {
        byte[] blob = new byte[64 * 1024];
        new Random(7).nextBytes(blob);
        Descriptor descriptor = new Descriptor("application/octet-stream", Digest.sha256(blob), blob.length);
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).build()); // GET /v2/
            server.enqueue(new MockResponse.Builder().code(202).addHeader("Location", "/v2/apps/web/blobs/uploads/1")
                    .build());
            // MockWebServer reads the request body at the throttle of the answer it will give:
            // 1 KiB every 100 ms is 10 KiB/s, and 64 KiB at 64 KiB/s may take 3 s + 1 s.
            server.enqueue(new MockResponse.Builder().code(201).throttleBody(1024, 100, TimeUnit.MILLISECONDS)
                    .addHeader("Docker-Content-Digest", descriptor.digest().toString()).build());
            TransferLimits limits = new TransferLimits(Duration.ofSeconds(3), 64 * 1024);
            try (RegistryClients clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5),
                    Duration.ofSeconds(5), limits), new Retrier(RetryPolicy.none(), null), limits)) {
                PushClient push = clients.pushClient(ImageReference.parseRepository("127.0.0.1:" + server.getPort()
                        + "/apps/web"), RegistryAccess.anonymous(), null, PushClient.DEFAULT_CHUNK_SIZE);
                UploadSession session = push.startUpload();

                RegistryUnreachableException e = assertThrows(RegistryUnreachableException.class, () -> push.upload(
                        session, new VerifyingInputStream(new ByteArrayInputStream(blob), "blob", descriptor.digest(),
                                blob.length), descriptor, n -> { }, abort -> { }));

                assertTrue(e.getMessage().contains("uploading blob " + descriptor.digest()), e.getMessage());
                assertTrue(e.getMessage().contains("minimum rate of 64 KiB/s"), e.getMessage());
                assertTrue(e.getCause() instanceof SocketTimeoutException, String.valueOf(e.getCause()));
            }
        }
    }
}
