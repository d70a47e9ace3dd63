package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Platform;
import dev.ferry.registry.RegistryUnreachableException;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer engine driven directly, with a source and destinations in memory or on disk. */
@org.junit.jupiter.api.Timeout(60)
class TransferEngineTest {

    final TestImage image = TestImage.builder().layerTar(Layers.randomTar(1, 4000))
            .layerTar(Layers.randomTar(2, 40_000)).layerTar(Layers.randomTar(3, 20_000)).build();
    final MemoryImages.Source source = new MemoryImages.Source().put("1", image);
    final MemoryImages.Destination destination = new MemoryImages.Destination();

    @TempDir
    Path tmp;

    static TransferOptions oneAtATime() {
        return new TransferOptions(Platform.host(), false, 1, false);
    }

    TransferResult run(ImageDestination to, TransferOptions options) throws IOException {
        return new Transfer(source, to, TransferListener.NONE).run("memory:1", "1", null, options);
    }

    static String shortHex(Blob blob) {
        return blob.digest().shortHex();
    }

    @Test
    void blobsMoveLargestFirstThenTheManifestIsCommittedLast() throws Exception {
        TransferResult result = run(destination, oneAtATime());

        assertEquals(List.of("put " + shortHex(image.layers().get(1)), "put " + shortHex(image.layers().get(2)),
                "put " + shortHex(image.layers().get(0)), "put " + shortHex(image.config()),
                "commit " + image.digest().shortHex()), destination.events);
        assertEquals(image.digest(), result.manifest().digest());
        for (Blob layer : image.layers()) {
            assertArrayEquals(layer.bytes(), destination.blobs.get(layer.digest()));
        }
        assertTrue(result.blobs().stream().allMatch(b -> b.outcome() == BlobOutcome.FETCHED));
    }

    @Test
    void aBlobTheDestinationHasOrCanMountIsNeitherReadNorPut() throws Exception {
        destination.reusable.put(image.layers().get(0).digest(), BlobOutcome.PRESENT);
        destination.reusable.put(image.layers().get(1).digest(), BlobOutcome.MOUNTED);

        TransferResult result = run(destination, oneAtATime());

        Map<Digest, BlobOutcome> outcomes = new java.util.HashMap<>();
        result.blobs().forEach(b -> outcomes.put(b.descriptor().digest(), b.outcome()));
        assertEquals(BlobOutcome.PRESENT, outcomes.get(image.layers().get(0).digest()));
        assertEquals(BlobOutcome.MOUNTED, outcomes.get(image.layers().get(1).digest()));
        assertEquals(BlobOutcome.FETCHED, outcomes.get(image.layers().get(2).digest()));
        assertFalse(source.requests.stream().anyMatch(r -> r.startsWith(shortHex(image.layers().get(0)))
                || r.startsWith(shortHex(image.layers().get(1)))), source.requests.toString());
    }

    @Test
    void aFailedPutIsStartedAgainAsOftenAsTheDestinationAllowsThenStopsTheTransferBeforeAnyManifest() {
        Blob layer = image.layers().get(0);
        destination.failures.put(layer.digest(), new AtomicInteger(5));
        destination.restartAttempts = 2;

        IOException e = assertThrows(IOException.class, () -> run(destination, oneAtATime()));

        assertEquals("upload reset", e.getMessage());
        assertEquals(3, destination.events.stream().filter(("put " + shortHex(layer))::equals).count(),
                "the first attempt and two restarts");
        assertFalse(destination.events.stream().anyMatch(ev -> ev.startsWith("commit")), destination.events.toString());
    }

    @Test
    void aFailedPutThatPassesOnARestartCountsAsOneResume() throws Exception {
        Blob layer = image.layers().get(0);
        destination.failures.put(layer.digest(), new AtomicInteger(1));

        TransferResult result = run(destination, oneAtATime());

        BlobRecord record = result.blobs().stream().filter(b -> b.descriptor().digest().equals(layer.digest()))
                .findFirst().orElseThrow();
        assertEquals(BlobOutcome.FETCHED, record.outcome());
        assertEquals(1, record.resumes());
    }

    @Test
    void aBodyCutAfterSomeBytesEveryTimeIsResumedOnlyAsOftenAsTheSourceAllowsAndWhatArrivedIsKept()
            throws Exception {
        Blob layer = image.layers().get(1);
        source.cutAfter.put(layer.digest(), 10_000);
        source.resumeAttempts = 2;
        Path dir = tmp.resolve("layout");

        assertThrows(RegistryUnreachableException.class, () -> run(new LayoutDestination(OciLayout.open(dir), "1",
                null, "oci:" + dir), oneAtATime()));

        List<String> asked = source.requests.stream().filter(r -> r.startsWith(shortHex(layer))).toList();
        assertEquals(List.of(shortHex(layer) + "@0", shortHex(layer) + "@10000", shortHex(layer) + "@20000"), asked,
                "every resume brought new bytes, and each counted");
        Path partial = dir.resolve(".ferry-partial/sha256-" + layer.digest().hex());
        assertEquals(30_000, Files.size(partial), "three cuts of 10,000 bytes each");
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + layer.digest().hex())));
    }

    @Test
    void aLayoutDestinationResumesACutBodyAndChecksTheWholeBlobAndItsDiffId() throws Exception {
        Blob layer = image.layers().get(1);
        source.cutAfter.put(layer.digest(), layer.bytes().length / 3 + 1);
        source.resumeAttempts = 3;
        Path dir = tmp.resolve("layout");

        TransferResult result = run(new LayoutDestination(OciLayout.open(dir), "1", null, "oci:" + dir),
                oneAtATime());

        assertArrayEquals(layer.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + layer.digest().hex())));
        BlobRecord record = result.blobs().stream().filter(b -> b.descriptor().digest().equals(layer.digest()))
                .findFirst().orElseThrow();
        assertEquals(image.diffIds().get(1), record.diffId());
        assertEquals(2, record.resumes());
    }

    @Test
    void aForeignLayerIsLeftOutWithItsOwnOutcome() throws Exception {
        Blob foreign = new Blob("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                image.layers().get(0).bytes());
        TestImage withForeign = image.withLayers(List.of(foreign, image.layers().get(1), image.layers().get(2)));
        source.put("foreign", withForeign);

        TransferResult result = new Transfer(source, destination, TransferListener.NONE).run("memory:foreign",
                "foreign", null, oneAtATime());

        assertEquals(BlobOutcome.FOREIGN_SKIPPED, result.blobs().getFirst().outcome());
        assertEquals("foreign-skipped", result.blobs().getFirst().outcome().word());
        assertFalse(destination.blobs.containsKey(foreign.digest()));
    }

    @Test
    void aLayoutRefusesBytesHeldInMemoryThatAreNotTheBlobNamed() throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));

        VerificationException e = assertThrows(VerificationException.class, () -> layout.putBlob(
                image.config().descriptor(), image.layers().get(0).bytes()));

        assertTrue(e.getMessage().contains(image.config().digest().toString()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("layout/blobs/sha256/" + image.config().digest().hex())));
    }

    @Test
    void aDestinationNamedByAnotherDigestIsRefusedBeforeAnyBlobMoves() {
        Digest other = Digest.sha256(new byte[] {1});

        assertThrows(DestinationDigestException.class, () -> new Transfer(source, destination, TransferListener.NONE)
                .run("memory:1", "1", other, oneAtATime()));

        assertEquals(List.of(), destination.events);
    }
}
