package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.FerryOptions;
import dev.ferry.digest.Digest;
import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.TestImage;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.transfer.TransferListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layout directories crafted to make ferry read or write outside them: links where a blob, a
 * directory, index.json, oci-layout or a partial file should be, and special files. A sentinel
 * outside the layout must stay byte for byte as it was, and no byte of it may leave the machine.
 */
@Timeout(60)
class HostileLayoutTest {

    static final int LAYER_SIZE = 12_000;
    static final byte[] MARKER = "OUTSIDE-THE-LAYOUT-".getBytes(StandardCharsets.UTF_8);

    final TestImage image = TestImage.builder().compression("none").layerTar(Layers.randomTar(7, LAYER_SIZE)).build();
    final Digest layer = image.layers().getFirst().digest();

    @TempDir
    Path tmp;

    FakeRegistry registry;
    Path outside;
    Path sentinel;
    byte[] sentinelBytes;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", image);
        outside = Files.createDirectory(tmp.resolve("outside"));
        sentinel = outside.resolve("sentinel");
        // As long as the layer, so that a size check alone would take it for the blob.
        sentinelBytes = new byte[image.layers().getFirst().bytes().length];
        for (int i = 0; i < sentinelBytes.length; i++) {
            sentinelBytes[i] = MARKER[i % MARKER.length];
        }
        Files.write(sentinel, sentinelBytes);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    Path pulledLayout(String name) {
        Path dir = tmp.resolve(name);
        Cli.Result pulled = Cli.run("pull", "-q", registry.ref("apps/web:1"), dir.toString());
        assertEquals(0, pulled.exitCode(), pulled.toString());
        return dir;
    }

    static Path blob(Path layout, Digest digest) {
        return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    void assertSentinelUntouched() throws Exception {
        assertTrue(Files.isRegularFile(sentinel, LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(sentinelBytes, Files.readAllBytes(sentinel));
        try (Stream<Path> list = Files.list(outside)) {
            assertEquals(List.of(sentinel), list.toList(), "nothing was created beside the sentinel");
        }
    }

    static void assertOneLine(int code, Cli.Result result) {
        assertEquals(code, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
        assertFalse(result.stderr().contains("\tat "), result.stderr());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    // ---- a source layout ----

    @Test
    void aSourceBlobThatLinksOutsideTheLayoutIsRefusedBeforeAnyOfItsBytesAreUploaded() throws Exception {
        Path layout = pulledLayout("source");
        Files.delete(blob(layout, layer));
        Files.createSymbolicLink(blob(layout, layer), sentinel);
        FerryOptions options = FerryOptions.defaults().withUploadChunkSize(1000);

        LayoutException e;
        try (Ferry ferry = Ferry.create(options)) {
            e = assertThrows(LayoutException.class, () -> ferry.copy(new ImageLocation.Oci(layout, null),
                    new ImageLocation.Docker(ImageReference.parse(registry.hostPort() + "/mirror/web:1"),
                            RegistryAccess.anonymous()),
                    new TransferOptions(null, false, 1, false), TransferListener.NONE));
        }

        assertTrue(e.getMessage().contains("blobs/sha256/" + layer.hex() + " is a symbolic link"), e.getMessage());
        for (String method : List.of("POST", "PATCH", "PUT")) {
            for (RecordedRequest request : registry.requests(method, ".*")) {
                byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
                assertFalse(contains(body, MARKER), method + " " + request.getUrl() + " carried the outside file");
            }
        }
        assertNull(registry.blob("mirror/web", layer));
        assertSentinelUntouched();
    }

    @Test
    void aSourceWhoseIndexJsonLinksToASecretIsRefusedWithoutQuotingIt() throws Exception {
        Path layout = pulledLayout("source");
        Files.writeString(sentinel, "password=hunter2-not-json");
        sentinelBytes = Files.readAllBytes(sentinel);
        Files.delete(layout.resolve("index.json"));
        Files.createSymbolicLink(layout.resolve("index.json"), sentinel);

        Cli.Result result = Cli.run("inspect", "oci:" + layout);

        assertOneLine(1, result);
        assertTrue(result.stderr().contains("index.json is a symbolic link"), result.stderr());
        assertFalse(result.stderr().contains("hunter2"), result.stderr());
        assertSentinelUntouched();
    }

    @Test
    void anIndexJsonThatIsNotJsonIsNamedWithoutQuotingItsContent() throws Exception {
        Path layout = pulledLayout("source");
        Files.writeString(layout.resolve("index.json"), "password=hunter2-not-json");

        Cli.Result result = Cli.run("inspect", "oci:" + layout);

        assertOneLine(1, result);
        assertTrue(result.stderr().contains("index.json is not valid JSON"), result.stderr());
        assertFalse(result.stderr().contains("hunter2") || result.stderr().contains("password"), result.stderr());
    }

    @Test
    void aManifestThatIsNotJsonIsNamedWithoutQuotingItsContent() throws Exception {
        Path layout = pulledLayout("source");
        byte[] manifest = "password=hunter2-not-json".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(manifest);
        Files.write(blob(layout, digest), manifest);
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":" + manifest.length + "}]}");

        Cli.Result result = Cli.run("inspect", "oci:" + layout);

        assertOneLine(7, result);
        assertTrue(result.stderr().contains("manifest " + digest), result.stderr());
        assertFalse(result.stderr().contains("hunter2") || result.stderr().contains("password"), result.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blobs", "blobs/sha256"})
    void aSourceWhoseBlobDirectoryLinksOutsideIsRefused(String directory) throws Exception {
        Path layout = pulledLayout("source");
        Path moved = Files.move(layout.resolve(directory), outside.resolve("moved"));
        Files.createSymbolicLink(layout.resolve(directory), moved);

        Cli.Result result = Cli.run("copy", "-q", "oci:" + layout, "oci:" + tmp.resolve("copy"));

        assertOneLine(1, result);
        assertTrue(result.stderr().contains(directory + " is a symbolic link, not a directory"), result.stderr());
    }

    // Opening a FIFO blocks in native code until a writer comes, where no interrupt reaches it:
    // the timeout runs the test on a thread of its own so that a hang fails it instead of the run.
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoWhereABlobShouldBeIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path layout = pulledLayout("source");
        Path config = blob(layout, image.config().digest());
        Files.delete(config);
        Process mkfifo = new ProcessBuilder("mkfifo", config.toString()).start();
        assertEquals(0, mkfifo.waitFor());

        Cli.Result result = Cli.run("inspect", "oci:" + layout);

        assertOneLine(1, result);
        assertTrue(result.stderr().contains("is a device, FIFO or socket"), result.stderr());
    }

    @Test
    void aLayoutNamedThroughALinkToItsDirectoryIsRead() throws Exception {
        Path layout = pulledLayout("source");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), layout);

        Cli.Result result = Cli.run("copy", "-q", "oci:" + link, registry.ref("mirror/web:1"));

        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(image.manifest().bytes(), registry.manifest("mirror/web", "1").bytes());
    }

    // ---- a destination layout ----

    /** An empty layout, as ferry leaves one, to plant links in before a pull. */
    Path emptyLayout() throws Exception {
        Path dir = tmp.resolve("destination");
        OciLayout.open(dir);
        return dir;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"partial file", "hard-linked partial file", "final blob path"})
    void aLinkPlantedWhereAPullWritesABlobIsReplacedAndNeverWrittenThrough(String where) throws Exception {
        Path layout = emptyLayout();
        Path planted = where.endsWith("partial file")
                ? layout.resolve(OciLayout.PARTIAL_DIR).resolve("sha256-" + layer.hex())
                : Files.createDirectories(blob(layout, layer).getParent()).resolve(layer.hex());
        if (where.startsWith("hard")) {
            Files.createLink(planted, sentinel);
        } else {
            Files.createSymbolicLink(planted, sentinel);
        }

        Cli.Result result = Cli.run("pull", "-q", registry.ref("apps/web:1"), layout.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Files.isRegularFile(blob(layout, layer), LinkOption.NOFOLLOW_LINKS), "the blob is a file of its own");
        assertArrayEquals(image.layers().getFirst().bytes(), Files.readAllBytes(blob(layout, layer)));
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        assertSentinelUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blobs", "blobs/sha256", OciLayout.PARTIAL_DIR})
    void aDestinationWhoseDirectoryLinksOutsideIsRefusedAndNothingIsWrittenThere(String directory) throws Exception {
        Path layout = emptyLayout();
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        try (Stream<Path> walk = Files.walk(layout.resolve(directory))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.createSymbolicLink(layout.resolve(directory), target);

        Cli.Result result = Cli.run("pull", "-q", registry.ref("apps/web:1"), layout.toString());

        assertOneLine(1, result);
        assertTrue(result.stderr().contains(directory + " is a symbolic link, not a directory"), result.stderr());
        try (Stream<Path> list = Files.list(target)) {
            assertEquals(List.of(), list.toList(), "nothing was written through the link");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"index.json", "oci-layout", IndexFile.LOCK_FILE})
    void aDestinationFileThatLinksOutsideIsRefusedAndTheFileItNamesIsUntouched(String file) throws Exception {
        Path layout = emptyLayout();
        if (file.equals("oci-layout")) {
            Files.writeString(sentinel, "{\"imageLayoutVersion\":\"1.0.0\"}");
            sentinelBytes = Files.readAllBytes(sentinel);
        }
        Files.deleteIfExists(layout.resolve(file));
        Files.createSymbolicLink(layout.resolve(file), sentinel);

        Cli.Result result = Cli.run("pull", "-q", registry.ref("apps/web:1"), layout.toString());

        assertOneLine(1, result);
        assertTrue(result.stderr().contains(file + " is a symbolic link"), result.stderr());
        assertTrue(Files.isSymbolicLink(layout.resolve(file)));
        assertSentinelUntouched();
    }
}
