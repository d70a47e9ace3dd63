package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.manifest.MediaType;
import dev.ferry.manifest.NoMatchingPlatformException;
import dev.ferry.manifest.Platform;
import dev.ferry.testing.Blob;
import dev.ferry.testing.TestImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TransferOptions#only()}: the index is transferred as it is, its digest kept, with the
 * manifests and blobs of the listed platforms alone (regclient's copy with platforms).
 */
class SparseIndexTransferTest {

    final Map<String, TestImage> images = new LinkedHashMap<>();
    final MemoryImages.Source source = new MemoryImages.Source();
    final MemoryImages.Destination destination = new MemoryImages.Destination();
    final Blob index;

    SparseIndexTransferTest() {
        for (String platform : List.of("linux/amd64", "linux/arm64", "linux/s390x")) {
            String[] parts = platform.split("/");
            TestImage image = TestImage.builder().platform(parts[0], parts[1], null).layer(Map.of("a", platform)).build();
            images.put(platform, image);
            source.put(platform, image);
        }
        index = TestImage.index(MediaType.OCI_INDEX, images);
        source.manifests.put("multi", index);
        source.manifests.put(index.digest().toString(), index);
    }

    TransferResult run(List<Platform> only) throws Exception {
        return new Transfer(source, destination, new TransferListener() { }).run("multi", "multi", null,
                new TransferOptions(Platform.host(), true, 1, false, false, RangeOptions.defaults(), only));
    }

    @Test
    void theIndexKeepsItsDigestAndOnlyTheListedPlatformsManifestsAndBlobsMove() throws Exception {
        TransferResult result = run(List.of(new Platform("linux", "amd64", null), new Platform("linux", "arm64", null)));

        assertEquals(index.digest(), result.manifest().digest());
        for (String moved : List.of("linux/amd64", "linux/arm64")) {
            TestImage image = images.get(moved);
            assertTrue(destination.events.contains("manifest " + image.digest().shortHex()), destination.events.toString());
            assertTrue(destination.blobs.containsKey(image.layers().get(0).digest()), moved);
        }
        TestImage left = images.get("linux/s390x");
        assertFalse(destination.events.contains("manifest " + left.digest().shortHex()), destination.events.toString());
        assertFalse(destination.blobs.containsKey(left.layers().get(0).digest()));
        assertFalse(destination.blobs.containsKey(left.config().digest()));
        assertEquals("commit " + index.digest().shortHex(), destination.events.getLast());
    }

    @Test
    void platformsTheIndexLacksAreRefusedNamingWhatItHolds() {
        NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class,
                () -> run(List.of(new Platform("linux", "riscv64", null))));
        assertTrue(e.getMessage().contains("s390x"), e.getMessage());
        assertFalse(destination.events.stream().anyMatch(ev -> ev.startsWith("commit")));
    }

    @Test
    void onlyWithoutAllIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TransferOptions(Platform.host(), false, 1, false, false,
                RangeOptions.defaults(), List.of(Platform.host())));
    }
}
