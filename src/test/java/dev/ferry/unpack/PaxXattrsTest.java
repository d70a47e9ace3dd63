package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xattrs as libarchive (bsdtar) writes them: {@code LIBARCHIVE.xattr.NAME} with NAME URL-encoded and a base64 value. */
class PaxXattrsTest {

    @TempDir
    Path tmp;
    private Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectory(tmp.resolve("rootfs"));
    }

    /** libarchive's base64: no '=' padding. */
    private static String unpadded(byte[] value) {
        return Base64.getEncoder().withoutPadding().encodeToString(value);
    }

    @Test
    void aLibarchiveXattrIsDecodedFromBase64ByteForByteAndItsNameFromUrlEncoding() throws IOException {
        List<LayerReport> reports = ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder()
                .fileWithPax("ping", "elf", Map.of("LIBARCHIVE.xattr.security.capability", unpadded(MetadataTest.CAPABILITY),
                        "LIBARCHIVE.xattr.user.a%3Db%25", unpadded("v\0w".getBytes(StandardCharsets.UTF_8)),
                        "LIBARCHIVE.xattr.user.padded", "aGk="))
                .bytes());
        assertEquals(0, reports.getFirst().skippedCount(), reports.getFirst().skipped().toString());
        assertArrayEquals(MetadataTest.CAPABILITY, PosixCalls.lgetxattr(root.resolve("ping"), "security.capability"));
        assertArrayEquals("v\0w".getBytes(StandardCharsets.UTF_8), PosixCalls.lgetxattr(root.resolve("ping"), "user.a=b%"));
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), PosixCalls.lgetxattr(root.resolve("ping"), "user.padded"));
    }

    @Test
    void whenBothSpellingsNameOneXattrTheSchilyBytesAreKept() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder().fileWithPax("f", "f", Map.of(
                "SCHILY.xattr.user.note", "schily", "LIBARCHIVE.xattr.user.note", unpadded("libarchive".getBytes(StandardCharsets.UTF_8)),
                "LIBARCHIVE.xattr.user.only", unpadded("only".getBytes(StandardCharsets.UTF_8)))).bytes());
        assertArrayEquals("schily".getBytes(StandardCharsets.UTF_8), PosixCalls.lgetxattr(root.resolve("f"), "user.note"));
        assertArrayEquals("only".getBytes(StandardCharsets.UTF_8), PosixCalls.lgetxattr(root.resolve("f"), "user.only"));
    }

    @Test
    void aLibarchiveRecordThatDoesNotDecodeIsReportedAndTheEntryStillApplied() throws IOException {
        List<LayerReport> reports = ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder().fileWithPax("f", "content",
                Map.of("LIBARCHIVE.xattr.user.bad", "not base64!", "LIBARCHIVE.xattr.user.x%4", "aGk",
                        "LIBARCHIVE.xattr.user.nul%00", "aGk", "LIBARCHIVE.xattr.", "aGk")).bytes());
        assertEquals("content", Files.readString(root.resolve("f")));
        assertEquals(4, reports.getFirst().skippedCount());
        assertEquals(List.of(LayerReport.Reason.INCONSISTENT), reports.getFirst().skipped().stream()
                .map(LayerReport.Skipped::reason).distinct().toList());
        assertNull(PosixCalls.lgetxattr(root.resolve("f"), "user.bad"));
        assertEquals(List.of(), PosixCalls.llistxattr(root.resolve("f")));
    }
}
