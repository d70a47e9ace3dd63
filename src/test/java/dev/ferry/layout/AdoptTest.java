package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file taken into a layout without copying passes the same checks as a streamed blob. */
class AdoptTest {

    @TempDir
    Path tmp;

    static byte[] tar(String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("f");
            entry.setSize(data.length);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    @Test
    void aVerifiedLayerFileIsMovedUnderItsDigestName() throws Exception {
        byte[] plain = tar("hello");
        byte[] layer = gzip(plain);
        Path file = Files.write(tmp.resolve("entry"), layer);
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Descriptor descriptor = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digest.sha256(layer),
                layer.length);

        layout.adopt(file, descriptor, Digest.sha256(plain));

        assertFalse(Files.exists(file), "the file was moved, not copied");
        assertArrayEquals(layer, Files.readAllBytes(layout.blobPath(descriptor.digest())));
    }

    @Test
    void aLayerFileWhoseDiffIdDiffersIsDeletedAndNeverNamed() throws Exception {
        byte[] layer = gzip(tar("hello"));
        Path file = Files.write(tmp.resolve("entry"), layer);
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Descriptor descriptor = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digest.sha256(layer),
                layer.length);

        assertThrows(VerificationException.class,
                () -> layout.adopt(file, descriptor, Digest.sha256(tar("other"))));

        assertFalse(layout.hasBlob(descriptor));
        assertFalse(Files.exists(file));
        try (var left = Files.list(tmp.resolve("layout").resolve(OciLayout.PARTIAL_DIR))) {
            assertTrue(left.toList().isEmpty(), "no partial file is left behind");
        }
    }

    @Test
    void aFileWhoseBytesAreNotTheDescriptorsIsRefused() throws Exception {
        byte[] layer = tar("hello");
        Path file = Files.write(tmp.resolve("entry"), tar("other"));
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Descriptor descriptor = new Descriptor("application/vnd.oci.image.layer.v1.tar", Digest.sha256(layer),
                layer.length);

        assertThrows(VerificationException.class, () -> layout.adopt(file, descriptor, null));

        assertFalse(layout.hasBlob(descriptor));
    }

    @Test
    void anUncompressedLayerWhoseDiffIdIsNotItsDigestIsRefused() throws Exception {
        byte[] layer = tar("hello");
        Path file = Files.write(tmp.resolve("entry"), layer);
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Descriptor descriptor = new Descriptor("application/vnd.oci.image.layer.v1.tar", Digest.sha256(layer),
                layer.length);

        VerificationException refused = assertThrows(VerificationException.class,
                () -> layout.adopt(file, descriptor, Digest.sha256(tar("other"))));

        assertTrue(refused.getMessage().contains("diff_id mismatch"), refused.getMessage());
        assertFalse(layout.hasBlob(descriptor));
    }

    @Test
    void anUncompressedLayerWithOtherBytesFailsItsDigestNotItsDiffId() throws Exception {
        byte[] layer = tar("hello");
        Path file = Files.write(tmp.resolve("entry"), tar("other"));
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Descriptor descriptor = new Descriptor("application/vnd.oci.image.layer.v1.tar", Digest.sha256(layer),
                layer.length);

        VerificationException refused = assertThrows(VerificationException.class,
                () -> layout.adopt(file, descriptor, Digest.sha256(layer)));

        assertFalse(refused.getMessage().contains("diff_id"), refused.getMessage());
        assertFalse(layout.hasBlob(descriptor));
    }
}
