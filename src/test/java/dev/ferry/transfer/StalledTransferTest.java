package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.FerryOptions;
import dev.ferry.manifest.Platform;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryUnreachableException;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blob bodies are read without OkHttp's per-read timeout; a watchdog stops transfers that stall. */
class StalledTransferTest {

    FakeRegistry registry;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static Ferry ferryWithReadTimeout(Duration timeout) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        return Ferry.create(new FerryOptions(null, sink, Duration.ofSeconds(5), timeout));
    }

    @Test
    void aBlobThatStopsSendingFailsAfterTheReadTimeoutNamingTheBlob() throws Exception {
        TestImage image = TestImage.builder().layerTar(Layers.randomTar(1, 2 * 1024 * 1024)).build();
        registry.put("stall/app", "1", image);
        byte[] layer = image.layers().getFirst().bytes();
        // Half the layer, then nothing for 30 s: were the stall not noticed after the 1 s timeout, the
        // rest would arrive and the pull succeed.
        registry.on("/v2/stall/app/blobs/" + image.layers().getFirst().digest(), new MockResponse.Builder()
                .body(new Buffer().write(layer))
                .throttleBody(layer.length / 2, 30, TimeUnit.SECONDS)
                .build());
        try (Ferry ferry = ferryWithReadTimeout(Duration.ofSeconds(1))) {
            TransferOptions options = new TransferOptions(Platform.host(), false, 2, false);
            RegistryUnreachableException e = assertThrows(RegistryUnreachableException.class, () -> ferry.copy(
                    new ImageLocation.Docker(ImageReference.parse(registry.hostPort() + "/stall/app:1")),
                    new ImageLocation.Oci(tmp.resolve("layout"), "1"), options, TransferListener.NONE));
            assertTrue(e.getMessage().contains(image.layers().getFirst().digest().toString()), e.getMessage());
            assertTrue(e.getCause() instanceof SocketTimeoutException, String.valueOf(e.getCause()));
        }
        // What arrived is kept, for the next pull to resume from.
        try (var partials = Files.list(tmp.resolve("layout/.ferry-partial"))) {
            List<Path> kept = partials.toList();
            assertEquals(1, kept.size(), kept.toString());
            assertEquals("sha256-" + image.layers().getFirst().digest().hex(), kept.getFirst().getFileName().toString());
            byte[] held = Files.readAllBytes(kept.getFirst());
            assertArrayEquals(Arrays.copyOf(layer, held.length), held);
        }
    }

    @Test
    void aSlowButSteadyBlobIsNotMistakenForAStall() throws Exception {
        TestImage image = TestImage.builder().layerTar(Layers.randomTar(2, 256 * 1024)).build();
        registry.put("slow/app", "1", image);
        byte[] layer = image.layers().getFirst().bytes();
        // About 1.3 s in all, a little every 100 ms: never a second without bytes.
        registry.on("/v2/slow/app/blobs/" + image.layers().getFirst().digest(), new MockResponse.Builder()
                .body(new Buffer().write(layer))
                .throttleBody(layer.length / 13 + 1, 100, TimeUnit.MILLISECONDS)
                .build());
        try (Ferry ferry = ferryWithReadTimeout(Duration.ofSeconds(1))) {
            TransferOptions options = new TransferOptions(Platform.host(), false, 2, false);
            TransferResult result = ferry.copy(
                    new ImageLocation.Docker(ImageReference.parse(registry.hostPort() + "/slow/app:1")),
                    new ImageLocation.Oci(tmp.resolve("layout"), "1"), options, TransferListener.NONE);
            assertEquals(image.digest(), result.manifest().digest());
        }
    }
}
