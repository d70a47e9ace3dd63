package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partial files named after a digest are resume points; those named after a process are its own. */
class PartialFilesTest {

    static final byte[] CONTENT = "the content of a blob, long enough to be cut in two".getBytes(StandardCharsets.UTF_8);
    static final Digest DIGEST = Digest.sha256(CONTENT);
    static final Descriptor BLOB = new Descriptor("application/octet-stream", DIGEST, CONTENT.length);

    @TempDir
    Path tmp;

    Path stable(Path dir) {
        return dir.resolve(OciLayout.PARTIAL_DIR).resolve("sha256-" + DIGEST.hex());
    }

    @Test
    void openingALayoutKeepsPartialFilesNamedAfterADigestAndRemovesThoseOfDeadProcesses() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayout.open(dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path ofDeadProcess = dir.resolve(OciLayout.PARTIAL_DIR).resolve("sha256-" + DIGEST.hex() + "." + gone.pid() + "-1");
        Files.write(ofDeadProcess, CONTENT);
        Files.write(stable(dir), Arrays.copyOf(CONTENT, 10));

        OciLayout.open(dir);

        assertFalse(Files.exists(ofDeadProcess), "a dead process's own partial file is removed");
        assertTrue(Files.exists(stable(dir)), "a partial file named after the digest is kept for resuming");
    }

    @Test
    void aResumableWriterAppendsToWhatThePartialFileHolds() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        Files.write(stable(dir), Arrays.copyOf(CONTENT, 10));

        try (BlobWriter writer = layout.resumableBlob(BLOB)) {
            assertEquals(10, writer.length());
            assertArrayEquals(Arrays.copyOf(CONTENT, 10), writer.prefix(10).readAllBytes());
            writer.stream().write(CONTENT, 10, CONTENT.length - 10);
            writer.commit();
        }

        assertArrayEquals(CONTENT, Files.readAllBytes(layout.blobPath(DIGEST)));
        assertFalse(Files.exists(stable(dir)));
    }

    @Test
    void aSecondWriterOfTheSameBlobWritesAFileOfItsOwnWhileTheFirstHoldsTheLock() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        Files.write(stable(dir), Arrays.copyOf(CONTENT, 10));

        try (BlobWriter first = layout.resumableBlob(BLOB); BlobWriter second = layout.resumableBlob(BLOB)) {
            assertEquals(10, first.length());
            assertEquals(0, second.length(), "the second writer does not share the first one's file");
            second.stream().write(CONTENT);
            second.commit();
            first.keepForResume();
        }

        assertArrayEquals(CONTENT, Files.readAllBytes(layout.blobPath(DIGEST)));
        assertArrayEquals(Arrays.copyOf(CONTENT, 10), Files.readAllBytes(stable(dir)), "kept for resuming, untouched");
    }

    @Test
    void aPartialFileLongerThanTheBlobIsEmptied() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayout layout = OciLayout.open(dir);
        Files.write(stable(dir), Arrays.copyOf(CONTENT, CONTENT.length + 1));

        try (BlobWriter writer = layout.resumableBlob(BLOB)) {
            assertEquals(0, writer.length());
        }

        assertFalse(Files.exists(stable(dir)), "closed without commit nor keep, the partial file is deleted");
    }
}
