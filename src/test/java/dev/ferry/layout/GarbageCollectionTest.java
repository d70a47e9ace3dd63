package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.LeaseHolder;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectionTest {

    @TempDir
    Path dir;

    /** After everything the test wrote: the cutoff is "every blob so far", not a duration. */
    static Instant afterAll() {
        return Instant.now().plusSeconds(60);
    }

    static Descriptor put(OciLayout layout, String mediaType, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Descriptor d = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
        layout.putBlob(d, bytes);
        return d;
    }

    static String ref(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    /** An image manifest over a config and layers, stored. */
    static Descriptor image(OciLayout layout, Descriptor config, Descriptor... layers) throws Exception {
        StringBuilder list = new StringBuilder();
        for (Descriptor layer : layers) {
            list.append(list.isEmpty() ? "" : ",").append(ref(layer));
        }
        return put(layout, MediaType.OCI_MANIFEST.value(), "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaType.OCI_MANIFEST.value() + "\",\"config\":" + ref(config) + ",\"layers\":[" + list + "]}");
    }

    static boolean has(OciLayout layout, Descriptor d) {
        return Files.exists(layout.blobPath(d.digest()));
    }

    @Test
    void blobsOnlyAnUntaggedImageReachedAreRemovedAndSharedOnesStay() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Descriptor shared = put(layout, LayerMediaTypes.OCI_TAR, "shared layer");
        Descriptor onlyOld = put(layout, LayerMediaTypes.OCI_TAR, "old layer");
        Descriptor keptConfig = put(layout, MediaType.OCI_CONFIG, "{\"kept\":1}");
        Descriptor oldConfig = put(layout, MediaType.OCI_CONFIG, "{\"old\":1}");
        Descriptor kept = image(layout, keptConfig, shared);
        Descriptor old = image(layout, oldConfig, shared, onlyOld);
        // the kept image is reached through an index, as a multi-platform image is
        Descriptor index = put(layout, MediaType.OCI_INDEX.value(), "{\"schemaVersion\":2,\"manifests\":[" + ref(kept) + "]}");
        layout.tag(index, "app:kept", null);
        layout.tag(old, "app:old", null);
        layout.untag(name -> name.equals("app:old"));

        CollectedGarbage collected = layout.collectGarbage(afterAll());

        assertEquals(3, collected.blobs(), "the old manifest, its config and its own layer");
        assertEquals(old.size() + oldConfig.size() + onlyOld.size(), collected.bytes());
        for (Descriptor d : List.of(shared, keptConfig, kept, index)) {
            assertTrue(has(layout, d), d.toString());
        }
        for (Descriptor d : List.of(old, oldConfig, onlyOld)) {
            assertTrue(!has(layout, d), d.toString());
        }
    }

    @Test
    void blobsWrittenSinceTheCutoffStayForAWriterThatHasNotNamedThemYet() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Descriptor early = put(layout, LayerMediaTypes.OCI_TAR, "early");
        Descriptor late = put(layout, LayerMediaTypes.OCI_TAR, "late");
        Instant cutoff = Instant.now();
        Files.setLastModifiedTime(layout.blobPath(early.digest()), FileTime.from(cutoff.minusSeconds(10)));
        Files.setLastModifiedTime(layout.blobPath(late.digest()), FileTime.from(cutoff.plusSeconds(10)));
        assertEquals(1, layout.collectGarbage(cutoff).blobs());
        assertTrue(!has(layout, early) && has(layout, late));
    }

    @Test
    void nothingIsCollectedWhileAWriterHoldsTheBlobs() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Descriptor unnamed = put(layout, LayerMediaTypes.OCI_TAR, "being written");
        try (Closeable lease = layout.holdBlobs()) {
            assertNull(layout.collectGarbage(afterAll()));
            assertTrue(has(layout, unnamed));
        }
        assertEquals(1, layout.collectGarbage(afterAll()).blobs());
    }

    @Test
    void nothingIsCollectedWhileAWriterOfAnotherProcessHoldsTheBlobs() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Descriptor unnamed = put(layout, LayerMediaTypes.OCI_TAR, "being written elsewhere");
        // another process holding the lease shared, as a writer does
        try (LeaseHolder other = LeaseHolder.hold(dir.resolve("l").resolve(BlobLease.LOCK_FILE), dir)) {
            assertNull(layout.collectGarbage(afterAll()));
            assertTrue(has(layout, unnamed));
        }
        assertEquals(1, layout.collectGarbage(afterAll()).blobs());
    }

    @Test
    void aLinkPlantedUnderADigestNameIsNeitherFollowedNorItsTargetRemoved() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Path sentinel = Files.writeString(dir.resolve("sentinel"), "outside the layout");
        Digest named = Digest.sha256("whatever".getBytes(StandardCharsets.UTF_8));
        Path link = layout.blobPath(named);
        Files.createSymbolicLink(link, sentinel);

        assertEquals(0, layout.collectGarbage(afterAll()).blobs());
        assertEquals("outside the layout", Files.readString(sentinel));
        assertTrue(Files.isSymbolicLink(link));

        // a blob directory that is a link to a directory outside: refused before anything is deleted
        Descriptor unreached = put(layout, LayerMediaTypes.OCI_TAR, "unreached");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("a".repeat(128)), "outside the layout");
        Files.createSymbolicLink(dir.resolve("l/blobs/sha512"), outside);
        assertThrows(LayoutException.class, () -> layout.collectGarbage(afterAll()));
        assertTrue(has(layout, unreached));
        assertEquals("outside the layout", Files.readString(outside.resolve("a".repeat(128))));
    }

    @Test
    void aManifestNamingAnInvalidDescriptorStopsTheCollectionBeforeAnythingIsRemoved() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Descriptor garbage = put(layout, LayerMediaTypes.OCI_TAR, "unreached");
        Descriptor bad = put(layout, MediaType.OCI_MANIFEST.value(),
                "{\"schemaVersion\":2,\"layers\":[{\"digest\":\"sha256:../../etc\",\"size\":1}]}");
        layout.tag(bad, "bad:1", null);
        assertThrows(LayoutException.class, () -> layout.collectGarbage(afterAll()));
        assertTrue(has(layout, garbage));
    }

    @Test
    void aSparseIndexWhoseLeftOutChildrenAreMissingIsCollectedAroundThem() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("l"));
        Descriptor config = put(layout, MediaType.OCI_CONFIG, "{}");
        Descriptor layer = put(layout, LayerMediaTypes.OCI_TAR, "amd64");
        Descriptor present = image(layout, config, layer);
        Descriptor absent = new Descriptor(MediaType.OCI_MANIFEST.value(), Digest.sha256(new byte[] {1}), 1);
        Descriptor index = put(layout, MediaType.OCI_INDEX.value(),
                "{\"schemaVersion\":2,\"manifests\":[" + ref(present) + "," + ref(absent) + "]}");
        layout.tag(index, "app:1", null);
        Descriptor garbage = put(layout, LayerMediaTypes.OCI_TAR, "unreached");
        assertEquals(1, layout.collectGarbage(afterAll()).blobs());
        assertTrue(!has(layout, garbage) && has(layout, layer) && has(layout, config) && has(layout, present));
    }
}
