package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.FerryOptions;
import dev.ferry.digest.Digest;
import dev.ferry.layout.CollectedGarbage;
import dev.ferry.layout.OciLayout;
import dev.ferry.location.ImageLocation;
import dev.ferry.manifest.Platform;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LeaseHolder;
import dev.ferry.testing.TestImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull into a layout holds the layout's blobs from the collector from its first presence check
 * until index.json names the image, so a blob it found present is never removed under it.
 */
class PullHoldsLayoutBlobsTest {

    FakeRegistry registry;
    Ferry ferry;

    @TempDir
    Path tmp;

    /** Shared by the old and the new image, larger than the new layer so that it is looked at first. */
    final byte[] sharedTar = Layers.randomTar(1, 256 * 1024);
    final TestImage old = TestImage.builder().layerTar(sharedTar).build();
    final TestImage next = TestImage.builder().layerTar(sharedTar).layerTar(Layers.randomTar(2, 16 * 1024)).build();

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("app", "old", old);
        registry.put("app", "new", next);
        ferry = Ferry.create(new FerryOptions(null, new PrintStream(OutputStream.nullOutputStream()),
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        ferry.close();
        registry.close();
    }

    /** After everything the test wrote: the cutoff is "every blob so far", not a duration. */
    static Instant afterAll() {
        return Instant.now().plusSeconds(60);
    }

    private TransferResult pull(String tag, Path layout) throws Exception {
        // one blob at a time, largest first: the shared layer is found present before the new one moves
        TransferOptions options = new TransferOptions(Platform.host(), false, 1, false);
        return ferry.copy(new ImageLocation.Docker(ImageReference.parse(registry.hostPort() + "/app:" + tag)),
                new ImageLocation.Oci(layout, tag), options, TransferListener.NONE);
    }

    /** The new layer's body waits for {@code go}; {@code reached} says that the pull asked for it. */
    private void pauseNewLayer(CountDownLatch reached, CountDownLatch go) {
        Blob layer = next.layers().get(1);
        registry.on("/v2/app/blobs/" + layer.digest(), request -> {
            reached.countDown();
            try {
                go.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build();
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Set<String> names(Set<Digest> digests) {
        TreeSet<String> names = new TreeSet<>();
        digests.forEach(d -> names.add(d.hex()));
        return names;
    }

    @Test
    void collectionWaitsWhileAPullHoldsABlobItFoundPresentAndAfterwardsRemovesOnlyTheUnreachable()
            throws Exception {
        Path dir = tmp.resolve("layout");
        pull("old", dir);
        OciLayout layout = OciLayout.open(dir);
        layout.untag(name -> name.equals("old")); // the shared layer now reaches nothing
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        pauseNewLayer(reached, go);

        CompletableFuture<TransferResult> pulling = CompletableFuture.supplyAsync(() -> {
            try {
                return pull("new", dir);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(reached.await(30, TimeUnit.SECONDS), "the pull asked for the new layer");
            Set<String> before = LayoutAssertions.blobFiles(dir);
            assertTrue(before.contains(next.layers().getFirst().digest().hex()), "found present, not fetched");
            assertNull(OciLayout.open(dir).collectGarbage(afterAll()), "left to a later round");
            assertEquals(before, LayoutAssertions.blobFiles(dir), "nothing removed");
        } finally {
            go.countDown();
        }
        assertEquals(next.digest(), pulling.get(30, TimeUnit.SECONDS).manifest().digest());
        assertEquals(1, registry.count("/v2/app/blobs/" + next.layers().getFirst().digest()),
                "the shared layer was fetched once, by the first pull");
        Set<Digest> reachable = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);

        // no writer now: the old manifest and config go, everything the new image reaches stays
        CollectedGarbage collected = layout.collectGarbage(afterAll());
        assertEquals(2, collected.blobs());
        assertEquals(old.manifest().bytes().length + old.config().bytes().length, collected.bytes());
        assertEquals(names(reachable), LayoutAssertions.blobFiles(dir));
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
    }

    @Test
    void twoPullsIntoOneLayoutRunSideBySide() throws Exception {
        Path dir = tmp.resolve("layout");
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        pauseNewLayer(reached, go);
        CompletableFuture<TransferResult> paused = CompletableFuture.supplyAsync(() -> {
            try {
                return pull("new", dir);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(reached.await(30, TimeUnit.SECONDS), "the first pull holds the lease, inside a blob");
            assertEquals(old.digest(), pull("old", dir).manifest().digest(), "the second pull is not held up");
        } finally {
            go.countDown();
        }
        assertEquals(next.digest(), paused.get(30, TimeUnit.SECONDS).manifest().digest());
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        assertEquals(2, LayoutAssertions.index(dir).path("manifests").size());
    }

    @Test
    void aPullRunsWhileAWriterOfAnotherProcessHoldsTheLayoutAndItsBlobsThenStayUncollected() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayout.open(dir);
        // another process holding the lease shared, as a writer does, then killed
        LeaseHolder other = LeaseHolder.hold(dir.resolve(".ferry-gc.lock"), tmp);
        try {
            pull("old", dir);
            OciLayout.open(dir).untag(name -> true);
            assertNull(OciLayout.open(dir).collectGarbage(afterAll()), "the other writer still holds the blobs");
            assertEquals(3, LayoutAssertions.blobFiles(dir).size());
        } finally {
            other.kill();
        }
        assertEquals(3, OciLayout.open(dir).collectGarbage(afterAll()).blobs(), "a killed writer blocks nothing");
    }

    @Test
    void aPullKilledWithSigkillWhileItHoldsTheLayoutLeavesNothingBlocking() throws Exception {
        Path dir = tmp.resolve("layout");
        pull("old", dir);
        OciLayout.open(dir).untag(name -> true);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        pauseNewLayer(reached, go);
        Process other = FerryProcess.start(tmp.resolve("out.txt"), tmp.resolve("err.txt"), "copy", "-q",
                "--parallel", "1", registry.ref("app:new"), "oci:" + dir + ":new");
        try {
            assertTrue(reached.await(60, TimeUnit.SECONDS), () -> "the other process asked for the new layer: "
                    + read(tmp.resolve("err.txt")));
            assertNull(OciLayout.open(dir).collectGarbage(afterAll()), "the other process's pull holds the blobs");
            other.destroyForcibly(); // SIGKILL: no finally block of the pull runs
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        } finally {
            go.countDown();
            other.destroyForcibly();
        }
        assertEquals(137, other.exitValue(), "killed, not finished");

        // the kernel released the lock: the old image's three blobs and the new config go
        assertEquals(4, OciLayout.open(dir).collectGarbage(afterAll()).blobs());
        assertEquals(Set.of(), LayoutAssertions.blobFiles(dir));
        assertEquals(next.digest(), pull("new", dir).manifest().digest());
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
    }
}
