package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds a crafted layer meets: entries, bytes, depth, and a root that must start empty. */
class LimitsTest {

    @TempDir
    Path tmp;
    private Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectory(tmp.resolve("rootfs"));
    }

    private static UnpackOptions limits(long entries, int depth, long bytes) {
        return new UnpackOptions(false, new UnpackLimits(entries, depth, 4096, bytes));
    }

    @Test
    void moreEntriesThanTheLimitStopTheUnpack() throws IOException {
        LayerApplier applier = new LayerApplier(root, limits(3, 64, 1 << 20));
        byte[] layer = new TarBuilder().file("a", "a").file("b", "b").file("c", "c").file("d", "d").bytes();
        UnpackException e = assertThrows(UnpackException.class, () -> applier.apply(new ByteArrayInputStream(layer), "l"));
        assertTrue(e.getMessage().contains("3 entries"), e.getMessage());
        assertFalse(Files.exists(root.resolve("d")));
    }

    @Test
    void declaredSizesBeyondTheByteLimitStopTheUnpackBeforeWriting() throws IOException {
        LayerApplier applier = new LayerApplier(root, limits(100, 64, 10));
        byte[] layer = new TarBuilder().file("small", "12345").file("big", "1234567890").bytes();
        assertThrows(UnpackException.class, () -> applier.apply(new ByteArrayInputStream(layer), "l"));
        assertEquals("12345", Files.readString(root.resolve("small")));
        assertFalse(Files.exists(root.resolve("big")));
    }

    @Test
    void aNameDeeperThanTheLimitIsRefusedAndReported() throws IOException {
        List<LayerReport> reports = ChangesetTest.unpack(root, limits(100, 3, 1 << 20),
                new TarBuilder().file("a/b/c/d", "deep").file("a/b/c", "ok").bytes());
        assertEquals(1, reports.getFirst().skippedCount());
        assertEquals("ok", Files.readString(root.resolve("a/b/c")));
    }

    @Test
    void symlinksCannotMakeAWalkDeeperThanTheLimit() throws IOException {
        List<LayerReport> reports = ChangesetTest.unpack(root, limits(100, 4, 1 << 20),
                new TarBuilder().symlink("l", "a/b/c/d/e").file("l/x", "x").bytes());
        assertEquals(1, reports.getFirst().skippedCount());
    }

    @Test
    void aRootThatIsNotAnEmptyDirectoryIsRefused() throws IOException {
        Files.writeString(root.resolve("existing"), "x");
        assertThrows(UnpackException.class, () -> new LayerApplier(root, UnpackOptions.defaults()));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("empty")));
        assertThrows(UnpackException.class, () -> new LayerApplier(link, UnpackOptions.defaults()));
    }

    @Test
    void aTruncatedTarIsAnUnpackFailure() throws IOException {
        byte[] layer = new TarBuilder().file("f", "x".repeat(5000)).bytes();
        byte[] cut = java.util.Arrays.copyOf(layer, 2048);
        LayerApplier applier = new LayerApplier(root, UnpackOptions.defaults());
        assertThrows(IOException.class, () -> applier.apply(new ByteArrayInputStream(cut), "l"));
    }
}
