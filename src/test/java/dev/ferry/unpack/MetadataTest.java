package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modes, owners, xattrs, times and special files, as root and rootless (the tests run as root). */
class MetadataTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    /** A v2 file capability: cap_net_raw permitted and effective; bytes that are not UTF-8. */
    static final byte[] CAPABILITY = HexFormat.of().parseHex("0100000200200000000000000000000000000000");

    @TempDir
    Path tmp;
    private Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectory(tmp.resolve("rootfs"));
        assertTrue(Privileges.isRoot(), "these tests expect to run as root, as the test machines do");
    }

    @Test
    void setuidSetgidAndStickyBitsSurviveTheOwnerChange() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder().file("su", "x", 04755, 1000, 1000)
                .file("sg", "x", 02711, 0, 50).dir("tmp", 01777, 0, 0).bytes());
        assertEquals(04755, ChangesetTest.mode(root.resolve("su")));
        assertEquals(02711, ChangesetTest.mode(root.resolve("sg")));
        assertEquals(01777, ChangesetTest.mode(root.resolve("tmp")));
        assertEquals(1000, (Integer) Files.getAttribute(root.resolve("su"), "unix:uid", NOFOLLOW));
        assertEquals(50, (Integer) Files.getAttribute(root.resolve("sg"), "unix:gid", NOFOLLOW));
    }

    @Test
    void modeZeroAndReadOnlyDirectoriesAreFilledBeforeTheirModeIsApplied() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.rootlessDefaults(), new TarBuilder().dir("ro", 0555, 0, 0)
                .dir("none", 0, 0, 0).file("none/f", "f", 0, 0, 0).file("ro/g", "g").bytes(),
                new TarBuilder().file("ro/h", "h").bytes());
        assertEquals(0555, ChangesetTest.mode(root.resolve("ro")));
        assertEquals(0, ChangesetTest.mode(root.resolve("none")));
        assertEquals(0, ChangesetTest.mode(root.resolve("none/f")));
        assertEquals("h", Files.readString(root.resolve("ro/h")));
    }

    @Test
    void directoryTimesAreSetAfterTheirChildrenAndSymlinkTimesOnTheLinkItself() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder().dir("d").file("d/f", "f").symlink("d/l", "f").bytes(),
                new TarBuilder().file("d/g", "g").bytes());
        FileTime header = FileTime.fromMillis(1_600_000_000_000L);
        assertEquals(header, Files.getLastModifiedTime(root.resolve("d"), NOFOLLOW));
        assertEquals(header, Files.getLastModifiedTime(root.resolve("d/l"), NOFOLLOW));
        assertEquals(header, Files.getLastModifiedTime(root.resolve("d/f"), NOFOLLOW));
    }

    @Test
    void asRootOwnersAreSetOnEveryKindIncludingSymlinks() throws IOException {
        TarBuilder tar = new TarBuilder().dir("d", 0755, 7, 8).file("f", "f", 0644, 9, 10);
        ChangesetTest.unpack(root, UnpackOptions.defaults(), tar.bytes(),
                new TarBuilder().symlink("l", "f").bytes());
        assertEquals(7, (Integer) Files.getAttribute(root.resolve("d"), "unix:uid", NOFOLLOW));
        assertEquals(10, (Integer) Files.getAttribute(root.resolve("f"), "unix:gid", NOFOLLOW));
        assertNull(PosixCalls.lgetxattr(root.resolve("f"), RootlessOwner.XATTR));
    }

    @Test
    void rootlessOwnersAreRecordedInTheRootlessContainersXattrAsUmociWritesIt() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.rootlessDefaults(), new TarBuilder().file("both", "x", 0644, 1000, 1001)
                .file("uid", "x", 0644, 33, 0).file("rootowned", "x").bytes());
        assertEquals(0, (Integer) Files.getAttribute(root.resolve("both"), "unix:uid", NOFOLLOW));
        // protobuf: field 1 varint 1000 (e8 07), field 2 varint 1001 (e9 07)
        assertArrayEquals(HexFormat.of().parseHex("08e80710e907"), PosixCalls.lgetxattr(root.resolve("both"), RootlessOwner.XATTR));
        // gid 0 is written as 4294967295, "unchanged"
        assertArrayEquals(HexFormat.of().parseHex("082110ffffffff0f"), PosixCalls.lgetxattr(root.resolve("uid"), RootlessOwner.XATTR));
        assertNull(PosixCalls.lgetxattr(root.resolve("rootowned"), RootlessOwner.XATTR));
        assertEquals(new RootlessOwner(33, 0), RootlessOwner.decode(PosixCalls.lgetxattr(root.resolve("uid"), RootlessOwner.XATTR)));
    }

    @Test
    void aBinaryCapabilityXattrIsKeptByteForByteAsRoot() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder().binaryXattr("security.capability", CAPABILITY)
                .file("ping", "elf", 04755, 0, 0).fileWithXattr("u", "x", "user.note", "hello").bytes());
        assertArrayEquals(CAPABILITY, PosixCalls.lgetxattr(root.resolve("ping"), "security.capability"));
        assertArrayEquals("hello".getBytes(), PosixCalls.lgetxattr(root.resolve("u"), "user.note"));
        assertNull(PosixCalls.lgetxattr(root.resolve("u"), "security.capability"), "a PAX record applies to one entry");
    }

    @Test
    void rootlessKeepsUserXattrsAndReportsTheOthers() throws IOException {
        List<LayerReport> reports = ChangesetTest.unpack(root, UnpackOptions.rootlessDefaults(), new TarBuilder()
                .binaryXattr("security.capability", CAPABILITY).file("ping", "elf").fileWithXattr("u", "x", "user.note", "hi")
                .fileWithXattr("fake", "x", RootlessOwner.XATTR, "\u0008\u0001").bytes());
        assertNull(PosixCalls.lgetxattr(root.resolve("ping"), "security.capability"));
        assertArrayEquals("hi".getBytes(), PosixCalls.lgetxattr(root.resolve("u"), "user.note"));
        assertNull(PosixCalls.lgetxattr(root.resolve("fake"), RootlessOwner.XATTR), "a layer cannot forge recorded owners");
        assertEquals(List.of(LayerReport.Reason.UNSUPPORTED, LayerReport.Reason.UNSAFE),
                reports.getFirst().skipped().stream().map(LayerReport.Skipped::reason).toList());
    }

    @Test
    void devicesAreMadeAsRootAndSkippedRootlessWhileFifosAreAlwaysMade() throws IOException {
        byte[] layer = new TarBuilder().charDevice("null", 1, 3).fifo("pipe").bytes();
        ChangesetTest.unpack(root, UnpackOptions.defaults(), layer);
        assertEquals(0020000, (Integer) Files.getAttribute(root.resolve("null"), "unix:mode", NOFOLLOW) & 0170000);
        assertEquals(0x103L, (long) (Long) Files.getAttribute(root.resolve("null"), "unix:rdev", NOFOLLOW));
        assertEquals(0666, ChangesetTest.mode(root.resolve("null")));

        Path rootless = Files.createDirectory(tmp.resolve("rootless"));
        List<LayerReport> reports = ChangesetTest.unpack(rootless, UnpackOptions.rootlessDefaults(), layer);
        assertFalse(Files.exists(rootless.resolve("null"), NOFOLLOW));
        assertTrue(reports.getFirst().skipped().getFirst().detail().contains("device"));
        assertEquals(0010000, (Integer) Files.getAttribute(rootless.resolve("pipe"), "unix:mode", NOFOLLOW) & 0170000);
    }

    @Test
    void theRootEntryGivesTheRootItsModeAndTime() throws IOException {
        ChangesetTest.unpack(root, UnpackOptions.defaults(), new TarBuilder().dir("./", 0711, 0, 0).file("f", "f").bytes());
        assertEquals(0711, ChangesetTest.mode(root));
    }
}
