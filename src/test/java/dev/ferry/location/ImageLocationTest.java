package dev.ferry.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reference.ReferenceFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The library's parsing of skopeo-style image arguments, and the names they are shown by. */
class ImageLocationTest {

    @Test
    void aDockerArgumentIsARegistryReferenceShownWithoutItsTransport() {
        ImageLocation location = ImageLocation.parse("docker://registry.example/team/app:1.0", "source");

        ImageLocation.Docker docker = (ImageLocation.Docker) location;
        assertEquals("registry.example/team/app:1.0", docker.displayName());
        assertEquals("1.0", docker.ref().tag());
    }

    @Test
    void anOciArgumentNamesADirectoryAndAnImageNameAfterTheLastColon() {
        assertEquals(new ImageLocation.Oci(Path.of("./layout"), "stable"),
                ImageLocation.parse("oci:./layout:stable", "destination"));
        assertEquals(new ImageLocation.Oci(Path.of("/tmp/layout"), null), ImageLocation.parse("oci:/tmp/layout", "source"));
        assertEquals("oci:/tmp/layout", ImageLocation.parse("oci:/tmp/layout", "source").displayName());
    }

    @Test
    void anOciArchiveArgumentIsShownAsTheArchiveItNames() {
        ImageLocation location = ImageLocation.parse("oci-archive:app.tar:1.0", "destination");

        assertEquals(new ImageLocation.OciArchive(Path.of("app.tar"), "1.0"), location);
        assertEquals("oci-archive:app.tar:1.0", location.displayName());
    }

    @Test
    void aTransportFerryDoesNotReadIsNamedInTheMessageWithTheRole() {
        LocationFormatException e = assertThrows(LocationFormatException.class,
                () -> ImageLocation.parse("dir:app", "source"));

        assertEquals("unsupported transport 'dir' in source 'dir:app': write docker://REFERENCE, oci:DIR[:TAG], "
                + "oci-archive:FILE[:TAG] or docker-archive:FILE[:NAME:TAG]", e.getMessage());
    }

    @Test
    void aDockerArchiveTakesSkopeosNameTagOrIndexAfterTheFile() {
        assertEquals(new ImageLocation.DockerArchive(Path.of("a.tar"), null, -1),
                ImageLocation.parse("docker-archive:a.tar", "source"));
        assertEquals(new ImageLocation.DockerArchive(Path.of("a.tar"), "reg:5000/app:1", -1),
                ImageLocation.parse("docker-archive:a.tar:reg:5000/app:1", "source"));
        assertEquals(new ImageLocation.DockerArchive(Path.of("a.tar"), null, 2),
                ImageLocation.parse("docker-archive:a.tar:@2", "source"));
        assertThrows(LocationFormatException.class, () -> ImageLocation.parse("docker-archive:a.tar:app", "source"));
        assertThrows(LocationFormatException.class, () -> ImageLocation.parse("docker-archive::app:1", "source"));
    }

    @Test
    void aReferenceWithoutATransportIsToldHowToWriteIt() {
        LocationFormatException e = assertThrows(LocationFormatException.class,
                () -> ImageLocation.parse("registry.example:5000/app:1", "destination"));

        assertTrue(e.getMessage().startsWith("destination 'registry.example:5000/app:1' names no transport"),
                e.getMessage());
    }

    @Test
    void anEmptyDirectoryOrAMalformedNameIsRefused() {
        assertThrows(LocationFormatException.class, () -> ImageLocation.parse("oci::name", "source"));
        assertThrows(LocationFormatException.class, () -> ImageLocation.parse("oci:dir:bad name", "source"));
        assertThrows(ReferenceFormatException.class, () -> ImageLocation.parse("docker://registry.example/App:1", "source"));
    }
}
