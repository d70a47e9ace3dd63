package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.files.FileTrees;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayoutArchiveTest {

    static final String HEX = "a".repeat(64);

    @TempDir
    Path tmp;

    Path layout() throws Exception {
        Path dir = tmp.resolve("layout");
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.createDirectories(dir.resolve(OciLayout.PARTIAL_DIR));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        Files.writeString(dir.resolve("blobs/sha256/" + HEX), "blob bytes");
        Files.writeString(dir.resolve(OciLayout.PARTIAL_DIR + "/half"), "a partial file is not packed");
        return dir;
    }

    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aPackedLayoutUnpacksToTheSameFilesWithoutFerrysWorkFiles() throws Exception {
        Path archive = tmp.resolve("image.tar");
        LayoutArchive.pack(layout(), archive);
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutArchive.unpack(archive, out);

        assertEquals(List.of("blobs/sha256/" + HEX, "index.json", "oci-layout"), files(out));
        assertEquals("blob bytes", Files.readString(out.resolve("blobs/sha256/" + HEX)));
    }

    @Test
    void packingReplacesAnExistingArchiveAndLeavesNoTemporaryFile() throws Exception {
        Path archive = tmp.resolve("image.tar");
        Files.writeString(archive, "an older archive");

        LayoutArchive.pack(layout(), archive);

        assertTrue(Files.size(archive) > 1024);
        try (Stream<Path> list = Files.list(tmp)) {
            assertEquals(List.of("image.tar", "layout"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theSameLayoutPacksIntoTheSameBytes() throws Exception {
        Path dir = layout();
        LayoutArchive.pack(dir, tmp.resolve("a.tar"));
        Files.setLastModifiedTime(dir.resolve("index.json"), java.nio.file.attribute.FileTime.fromMillis(1));
        LayoutArchive.pack(dir, tmp.resolve("b.tar"));

        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.tar")), Files.readAllBytes(tmp.resolve("b.tar")));
    }

    /** A tar with the given entries: names ending in / are directories, "name->target" a symbolic link. */
    Path tar(String... names) throws Exception {
        Path archive = tmp.resolve("crafted.tar");
        try (OutputStream file = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String name : names) {
                TarArchiveEntry entry;
                byte[] body = new byte[0];
                if (name.contains("->")) {
                    entry = new TarArchiveEntry(name.substring(0, name.indexOf("->")), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(name.substring(name.indexOf("->") + 2));
                } else {
                    entry = new TarArchiveEntry(name);
                    if (!name.endsWith("/")) {
                        body = ("content of " + name).getBytes(StandardCharsets.UTF_8);
                        entry.setSize(body.length);
                    }
                }
                tar.putArchiveEntry(entry);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escaped", "/etc/owned", "blobs/sha256/../../../escaped", "blobs/sha256/x->/etc/passwd",
        "notes.txt", "blobs/sha256/" + "b" + "/extra"})
    void anEntryNoLayoutHasIsRefusedAndNothingIsWrittenOutsideTheDirectory(String name) throws Exception {
        Path archive = tar("oci-layout", "index.json", name);
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutException e = assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));

        assertTrue(e.getMessage().contains("not an OCI layout archive"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void dotSlashPrefixesAndDirectoryEntriesAreAccepted() throws Exception {
        Path archive = tar("./", "./oci-layout", "./index.json", "./blobs/", "./blobs/sha256/", "./blobs/sha256/" + HEX);
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutArchive.unpack(archive, out);

        assertEquals(List.of("blobs/sha256/" + HEX, "index.json", "oci-layout"), files(out));
    }

    @Test
    void aTarWithoutAnOciLayoutFileIsRefused() throws Exception {
        Path archive = tar("index.json");
        Path out = Files.createDirectory(tmp.resolve("out"));

        assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));
    }

    @Test
    void theWorkDirectoryIsBesideTheArchiveAndGoesWithDeleteTree() throws Exception {
        Path dir = LayoutArchive.workDirectory(tmp.resolve("image.tar"));
        Files.writeString(dir.resolve("file"), "x");

        assertEquals(tmp, dir.getParent());
        assertTrue(dir.getFileName().toString().startsWith(".image.tar.ferry-"));
        FileTrees.delete(dir);
        assertFalse(Files.exists(dir));
    }

    @Test
    void unpackingWithABlobLimitLeavesOutTheLargerBlobs() throws Exception {
        Path dir = layout();
        String big = "b".repeat(64);
        Files.write(dir.resolve("blobs/sha256/" + big), new byte[5000]);
        Path archive = tmp.resolve("image.tar");
        LayoutArchive.pack(dir, archive);
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutArchive.unpack(archive, out, 1000);

        assertEquals(List.of("blobs/sha256/" + HEX, "index.json", "oci-layout"), files(out));
    }
}
