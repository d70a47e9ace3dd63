package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flattened filesystem as one tar, as crane export writes it. */
class RootfsExporterTest {

    @TempDir
    Path tmp;

    private static List<byte[]> image() {
        List<byte[]> layers = new ArrayList<>(UmociComparisonTest.debianLike());
        layers.add(UmociComparisonTest.privileged());
        layers.addAll(UmociComparisonTest.changesets(true));
        return layers;
    }

    private Path unpack(String name, UnpackOptions options, List<byte[]> layers) throws IOException {
        Path root = Files.createDirectory(tmp.resolve(name));
        ChangesetTest.unpack(root, options, layers.toArray(byte[][]::new));
        return root;
    }

    @Test
    void theExportedTarUnpacksToTheSameTree() throws IOException {
        Path first = unpack("first", UnpackOptions.defaults(), image());
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        RootfsExporter.export(first, exported);
        Path second = unpack("second", UnpackOptions.defaults(), List.of(exported.toByteArray()));
        assertEquals(TreeSnapshot.of(first), TreeSnapshot.of(second));
    }

    @Test
    void namesAreRelativeSortedAndHardLinksPointAtTheFirstName() throws IOException {
        Map<String, TarArchiveEntry> entries = entries(unpack("tree", UnpackOptions.defaults(), UmociComparisonTest.debianLike()));
        List<String> names = new ArrayList<>(entries.keySet());
        assertEquals("bin", names.getFirst());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("/") || n.startsWith("./")));
        assertFalse(entries.get("usr/bin/perl5.36.0").isLink(), "perl was rewritten in layer 2: the old name is a file of its own");
        Path linked = unpack("linked", UnpackOptions.defaults(), List.of(new TarBuilder().file("a", "x").hardLink("b", "a").bytes()));
        TarArchiveEntry b = entries(linked).get("b");
        assertEquals(true, b.isLink());
        assertEquals("a", b.getLinkName());
    }

    @Test
    void aRootlessTreeExportsTheOwnersItRecorded() throws IOException {
        Map<String, TarArchiveEntry> entries = entries(unpack("rootless", UnpackOptions.rootlessDefaults(), UmociComparisonTest.debianLike()));
        TarArchiveEntry config = entries.get("home/user/.config/");
        assertEquals(1000, config.getLongUserId());
        assertEquals(1000, config.getLongGroupId());
        assertFalse(config.getExtraPaxHeaders().containsKey("SCHILY.xattr." + RootlessOwner.XATTR));
        assertEquals(5, entries.get("usr/bin/wall").getLongGroupId());
    }

    private static Map<String, TarArchiveEntry> entries(Path root) throws IOException {
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        RootfsExporter.export(root, exported);
        Map<String, TarArchiveEntry> entries = new java.util.LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(exported.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }
}
