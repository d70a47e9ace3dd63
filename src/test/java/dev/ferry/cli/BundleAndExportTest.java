package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ferry unpack --bundle} (an OCI runtime bundle whose config.json is {@code runc spec}'s,
 * or {@code runc spec --rootless}'s, with the image's process) and {@code ferry export}.
 */
@org.junit.jupiter.api.Timeout(60)
class BundleAndExportTest {

    @TempDir
    Path tmp;

    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", withProcess(UnpackCommandTest.IMAGE, "1000:100"));
        registry.put("apps/web", "named", withProcess(UnpackCommandTest.IMAGE, "nobody"));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** The image under a config that names a process: Entrypoint, Cmd, WorkingDir, User and Env. */
    static TestImage withProcess(TestImage image, String user) {
        return withProcess(image, user, "/usr/bin/app");
    }

    static TestImage withProcess(TestImage image, String user, String entrypoint) {
        ObjectNode config = (ObjectNode) Json.MAPPER.readTree(image.config().bytes());
        ObjectNode process = (ObjectNode) config.get("config");
        process.putArray("Env").add("PATH=/opt/bin:/bin").add("GREETING=hello world");
        process.putArray("Entrypoint").add(entrypoint);
        process.putArray("Cmd").add("--port").add("8080");
        process.put("WorkingDir", "/srv");
        process.put("User", user);
        Blob configBlob = new Blob(MediaType.OCI_CONFIG, Json.MAPPER.writeValueAsBytes(config));
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(image.manifest().bytes());
        ((ObjectNode) manifest.get("config")).put("digest", configBlob.digest().toString())
                .put("size", configBlob.bytes().length);
        return new TestImage(new Blob(image.manifest().mediaType(), Json.MAPPER.writeValueAsBytes(manifest)),
                configBlob, image.layers(), image.diffIds());
    }

    @Test
    void aBundleHoldsTheTreeAndTheImagesProcessInConfigJson() throws Exception {
        Path bundle = tmp.resolve("bundle");

        Cli.Result result = Cli.run("unpack", "--bundle", registry.ref("apps/web:1"), bundle.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("v2\n", Files.readString(bundle.resolve("rootfs/usr/bin/app")));
        JsonNode process = Json.MAPPER.readTree(bundle.resolve("config.json").toFile()).get("process");
        assertEquals(List.of("/usr/bin/app", "--port", "8080"), strings(process.get("args")));
        assertEquals(List.of("TERM=xterm", "PATH=/opt/bin:/bin", "GREETING=hello world"), strings(process.get("env")),
                "the image's PATH replaces the default one");
        assertEquals("/srv", process.get("cwd").asString());
        assertEquals(1000, process.get("user").get("uid").asInt());
        assertEquals(100, process.get("user").get("gid").asInt());
    }

    @Test
    void theBundlesConfigIsRuncSpecsWithTheImagesProcess() throws Exception {
        assertSameAsRuncSpec(false);
    }

    @Test
    void aRootlessBundlesConfigIsRuncSpecRootlessWithTheImagesProcess() throws Exception {
        assertSameAsRuncSpec(true);
    }

    void assertSameAsRuncSpec(boolean rootless) throws Exception {
        Path bundle = tmp.resolve("bundle");
        List<String> args = new ArrayList<>(List.of("unpack", "-q", "--bundle"));
        if (rootless) {
            args.add("--rootless");
        }
        args.addAll(List.of(registry.ref("apps/web:1"), bundle.toString()));
        assertEquals(0, Cli.run(args.toArray(String[]::new)).exitCode());
        Path runcDir = Files.createDirectory(tmp.resolve("runc"));
        External.check(rootless ? new String[] {"runc", "spec", "--rootless", "--bundle", runcDir.toString()}
                : new String[] {"runc", "spec", "--bundle", runcDir.toString()});
        ObjectNode runc = (ObjectNode) Json.MAPPER.readTree(runcDir.resolve("config.json").toFile());
        ObjectNode ferry = (ObjectNode) Json.MAPPER.readTree(bundle.resolve("config.json").toFile());

        // What the image decides, and the few defaults ferry chooses otherwise (as umoci does), set
        // alike on both sides: the rest must be runc's exactly.
        for (String field : List.of("args", "env", "cwd", "user", "terminal")) {
            ((ObjectNode) runc.get("process")).set(field, ferry.get("process").get(field));
        }
        for (String field : List.of("ociVersion", "hostname", "root")) {
            runc.set(field, ferry.get(field));
        }
        assertEquals(runc, ferry);
        assertEquals(rootless, ferry.get("linux").has("uidMappings"));
    }

    @Test
    void runcRunsTheBundlesProcessAsTheImageNamesIt() throws Exception {
        registry.put("apps/web", "echo", withProcess(TestImage.builder().layerTar(hostEcho()).build(), "1000:100",
                "/usr/bin/echo"));
        Path bundle = tmp.resolve("bundle");
        assertEquals(0, Cli.run("unpack", "-q", "--bundle", registry.ref("apps/web:echo"), bundle.toString())
                .exitCode());

        External.Output run = External.run("runc", "--root", tmp.resolve("runc-state").toString(), "run",
                "--bundle", bundle.toString(), "ferry-bundle-test-" + ProcessHandle.current().pid());

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("--port 8080\n", run.stdout(), "Entrypoint then Cmd, run by runc in the rootfs");
    }

    /** A layer holding this machine's echo and the libraries it loads, under their own names. */
    static byte[] hostEcho() throws Exception {
        List<String> files = new ArrayList<>(List.of("/usr/bin/echo"));
        java.util.regex.Matcher libraries = java.util.regex.Pattern.compile("(/\\S+)")
                .matcher(External.check("ldd", "/usr/bin/echo"));
        while (libraries.find()) {
            files.add(libraries.group(1));
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            for (String file : files) {
                byte[] content = Files.readAllBytes(Path.of(file));
                TarArchiveEntry entry = new TarArchiveEntry(file.substring(1));
                entry.setMode(0755);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aUserGivenByNameIsNotLookedUpInTheTreeAndNoBundleIsLeft() throws Exception {
        Path bundle = tmp.resolve("bundle");

        Cli.Result result = Cli.run("unpack", "--bundle", registry.ref("apps/web:named"), bundle.toString());

        assertEquals(ExitCodes.INVALID_RESPONSE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("numeric uid:gid"), result.stderr());
        assertEquals(List.of(), children());
    }

    @Test
    void exportWritesTheFlattenedTreeAsOneTar() throws Exception {
        Path file = tmp.resolve("fs.tar");

        Cli.Result result = Cli.run("export", registry.ref("apps/web:1"), "-o", file.toString());

        assertEquals(0, result.exitCode(), result.toString());
        Map<String, String> entries = entries(Files.readAllBytes(file));
        assertEquals("v2\n", entries.get("usr/bin/app"));
        assertEquals("keep\n", entries.get("etc/keep"));
        assertFalse(entries.containsKey("etc/hello"), entries.keySet().toString());
        assertTrue(entries.keySet().stream().noneMatch(n -> n.contains(".wh.")), entries.keySet().toString());
        assertEquals(List.of("fs.tar"), children(), "no work directory or temp file is left");
    }

    @Test
    void exportToStandardOutWritesTheSameTar() throws Exception {
        Path file = tmp.resolve("fs.tar");
        assertEquals(0, Cli.run("export", registry.ref("apps/web:1"), "-o", file.toString()).exitCode());

        Cli.Result result = Cli.run("export", registry.ref("apps/web:1"), "-o", "-");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(entries(Files.readAllBytes(file)), entries(result.stdoutBytes()));
    }

    @Test
    void anExportThatDoesNotVerifyLeavesNoFile() throws Exception {
        TestImage other = TestImage.builder().layer(Map.of("a", "a")).layer(Map.of("b", "b")).build();
        registry.put("apps/web", "bad", UnpackCommandTest.IMAGE.withConfig(other));

        Cli.Result result = Cli.run("export", registry.ref("apps/web:bad"), "-o", tmp.resolve("fs.tar").toString());

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertEquals(List.of(), children());
    }

    List<String> children() throws Exception {
        try (Stream<Path> list = Files.list(tmp)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Map<String, String> entries(byte[] tar) throws Exception {
        Map<String, String> entries = new java.util.TreeMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", ""),
                        entry.isFile() ? new String(in.readAllBytes()) : entry.isDirectory() ? "dir" : "other");
            }
        }
        return entries;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
