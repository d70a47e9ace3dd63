package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * oci-archive tars crafted to fill the disk or confuse the unpacking: sparse entries that store a
 * few bytes and expand to far more, the same entry twice, endless names, endless entries.
 */
@Timeout(60)
class HostileArchiveTest {

    static final String HEX = "c".repeat(64);
    static final String BLOB = "blobs/sha256/" + HEX;
    /** What a sparse entry claims to expand to: more than inspect's 64 MiB, from a few KiB stored. */
    static final long REAL_SIZE = 100L << 20;

    @TempDir
    Path tmp;

    /** One PAX record: its length counts itself. */
    static String record(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int length = body.length() + 1;
        while (String.valueOf(length).length() + body.length() != length) {
            length++;
        }
        return length + body;
    }

    static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] body) throws IOException {
        entry.setSize(body.length);
        tar.putArchiveEntry(entry);
        tar.write(body);
        tar.closeArchiveEntry();
    }

    static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        put(tar, new TarArchiveEntry(name), content.getBytes(StandardCharsets.UTF_8));
    }

    /** A PAX extended header for the entry after it, written as its own entry, as tar writes it. */
    static void pax(TarArchiveOutputStream tar, Map<String, String> records) throws IOException {
        StringBuilder text = new StringBuilder();
        records.forEach((k, v) -> text.append(record(k, v)));
        put(tar, new TarArchiveEntry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC),
                text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A layout tar whose blob is a GNU sparse file in PAX form ({@code 0.1}: the map in the header;
     * {@code 1.0}: the map at the start of the data), storing 4 KiB of a {@link #REAL_SIZE} file.
     */
    Path sparseArchive(String format) throws IOException {
        Path archive = tmp.resolve("sparse.tar");
        byte[] data = new byte[4096];
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            file(tar, "index.json", "{\"schemaVersion\":2,\"manifests\":[]}");
            Map<String, String> records = new LinkedHashMap<>();
            byte[] body;
            if (format.equals("0.1")) {
                records.put("GNU.sparse.size", Long.toString(REAL_SIZE));
                records.put("GNU.sparse.numblocks", "1");
                records.put("GNU.sparse.map", (REAL_SIZE - data.length) + "," + data.length);
                records.put("path", BLOB);
                body = data;
            } else {
                records.put("GNU.sparse.major", "1");
                records.put("GNU.sparse.minor", "0");
                records.put("GNU.sparse.name", BLOB);
                records.put("GNU.sparse.realsize", Long.toString(REAL_SIZE));
                ByteArrayOutputStream map = new ByteArrayOutputStream();
                map.writeBytes(("1\n" + (REAL_SIZE - data.length) + "\n" + data.length + "\n").getBytes(StandardCharsets.US_ASCII));
                map.writeBytes(new byte[512 - map.size()]);
                map.writeBytes(data);
                body = map.toByteArray();
            }
            pax(tar, records);
            put(tar, new TarArchiveEntry("GNUSparseFile.0/" + HEX), body);
        }
        assertTrue(Files.size(archive) < 20_000, "a small archive");
        return archive;
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "PAX sparse {0}")
    @ValueSource(strings = {"0.1", "1.0"})
    void aSparseEntryIsRefusedBeforeItExpands(String format) throws Exception {
        Path archive = sparseArchive(format);
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutException e = assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));

        assertTrue(e.getMessage().contains("'" + BLOB + "' is a sparse file"), e.getMessage());
        assertFalse(files(out).contains(BLOB), "the blob was not written");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"inspect", "copy"})
    void aSparseEntryIsRefusedByInspectAndCopyAndNoWorkDirectoryIsLeft(String command) throws Exception {
        Path archive = sparseArchive("1.0");

        Cli.Result result = command.equals("inspect") ? Cli.run("inspect", "oci-archive:" + archive)
                : Cli.run("copy", "-q", "oci-archive:" + archive, "oci:" + tmp.resolve("copy"));

        assertEquals(1, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
        assertTrue(result.stderr().contains("is a sparse file"), result.stderr());
        try (Stream<Path> list = Files.list(tmp)) {
            assertEquals(List.of(archive), list.toList(), "nothing was left beside the archive");
        }
    }

    @Test
    void anEntryThatAppearsTwiceIsRefused() throws Exception {
        Path archive = tmp.resolve("twice.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            file(tar, BLOB, "first");
            file(tar, "./" + BLOB, "second");
        }
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutException e = assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));

        assertTrue(e.getMessage().contains("holds '" + BLOB + "' twice"), e.getMessage());
        assertEquals("first", Files.readString(out.resolve(BLOB)), "the first copy was not replaced");
    }

    @Test
    void anEntryWithAnEndlessNameIsRefusedWithoutQuotingIt() throws Exception {
        Path archive = tmp.resolve("long.tar");
        String name = "blobs/sha256/" + "d".repeat(10_000);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            pax(tar, Map.of("path", name));
            file(tar, "blobs/sha256/" + HEX, "x");
        }
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutException e = assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));

        assertTrue(e.getMessage().contains("a name of " + name.length() + " characters"), e.getMessage());
        assertTrue(e.getMessage().length() < 500, e.getMessage());
    }

    @Test
    void anExtendedHeaderLargerThanAnyLayoutEntryNeedsIsRefusedBeforeItIsRead() throws Exception {
        Path archive = tmp.resolve("header.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            pax(tar, Map.of("comment", "e".repeat(LayoutArchive.MAX_HEADER_BYTES)));
            file(tar, "index.json", "{}");
        }
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutException e = assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));

        assertTrue(e.getMessage().contains("an extended header of"), e.getMessage());
        assertFalse(Files.exists(out.resolve("index.json")));
    }

    @Test
    void anArchiveOfMoreEntriesThanAnyLayoutHasIsRefused() throws Exception {
        Path archive = tmp.resolve("many.tar");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 20);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            for (int i = 0; i < LayoutArchive.MAX_ENTRIES; i++) {
                tar.putArchiveEntry(new TarArchiveEntry("blobs/"));
                tar.closeArchiveEntry();
            }
        }
        Path out = Files.createDirectory(tmp.resolve("out"));

        LayoutException e = assertThrows(LayoutException.class, () -> LayoutArchive.unpack(archive, out));

        assertTrue(e.getMessage().contains("more than " + LayoutArchive.MAX_ENTRIES + " entries"), e.getMessage());
    }
}
