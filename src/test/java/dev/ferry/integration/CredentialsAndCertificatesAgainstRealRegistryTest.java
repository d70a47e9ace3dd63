package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.cli.ExitCodes;
import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.HelperScript;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestCertificates;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real docker-registry over TLS with a CA this test makes and htpasswd Basic auth, and a second
 * one that requires a client certificate: inspect, pull and copy with the credentials from each
 * place ferry reads them, login then inspect, and the failures users meet.
 */
class CredentialsAndCertificatesAgainstRealRegistryTest {

    static final String USER = "ferry";
    static final String PASSWORD = "s3cret-Passw0rd";

    @TempDir
    static Path shared;
    static TestCertificates certs;
    static LocalRegistry registry;
    static LocalRegistry clientCertRegistry;
    static TestImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(shared.resolve("ca"));
        List<String> options = new ArrayList<>(List.of(certs.registryOptions(false)));
        options.addAll(List.of("--htpasswd", USER + ":" + PASSWORD));
        registry = LocalRegistry.start(options.toArray(String[]::new));
        clientCertRegistry = LocalRegistry.start(certs.registryOptions(true));
        image = TestImage.builder().layer(Map.of("secret/file", "behind auth and a private CA")).build();
        new TestPusher(HttpUrl.get("https://" + registry.hostPort() + "/"), new Credentials(USER, PASSWORD).basicHeader(),
                certs.httpClient()).push("private/app", "1", image);
        new TestPusher(HttpUrl.get("https://" + clientCertRegistry.hostPort() + "/"), null, certs.httpClient())
                .push("mtls/app", "1", image);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        clientCertRegistry.close();
    }

    static String ref() {
        return "docker://" + registry.hostPort() + "/private/app:1";
    }

    static String authJson(String key, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    Path write(String relative, String content) throws Exception {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    /** certs.d roots in the test's directory, with the registry's CA under its host:port. */
    Path certsD() throws Exception {
        Path root = tmp.resolve("certs.d");
        Files.createDirectories(root.resolve(registry.hostPort()));
        Files.copy(certs.caCert(), root.resolve(registry.hostPort()).resolve("ca.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return root;
    }

    /** A separate ferry's environment: nothing of the test JVM's credentials, certificates from certs.d. */
    Map<String, String> processEnv() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
        env.put("REGISTRY_AUTH_FILE", "");
        env.put("FERRY_CERTS_D", certsD().toString());
        return env;
    }

    void assertInspected(Cli.Result result) {
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(image.digest().toString(), Json.MAPPER.readTree(result.stdout()).get("Digest").asString());
    }

    @Test
    void inspectWithCredsAndTheTestCaInCertDirAgreesWithSkopeo() throws Exception {
        Cli.Result ferry = Cli.run("inspect", "--creds", USER + ":" + PASSWORD, "--cert-dir", certs.caDir().toString(), ref());

        assertInspected(ferry);
        String skopeo = External.check("skopeo", "inspect", "--creds", USER + ":" + PASSWORD,
                "--cert-dir", certs.caDir().toString(), ref());
        assertEquals(Json.MAPPER.readTree(skopeo).get("Digest"), Json.MAPPER.readTree(ferry.stdout()).get("Digest"));
    }

    @Test
    void pullWithAnAuthfileVerifiesEveryBlob() throws Exception {
        Path authfile = write("auth.json", authJson(registry.hostPort(), USER, PASSWORD));

        Cli.Result pull = Cli.run("pull", "-q", "--authfile", authfile.toString(), "--cert-dir", certs.caDir().toString(),
                ref(), tmp.resolve("layout").toString());

        assertEquals(ExitCodes.OK, pull.exitCode(), pull.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("layout"));
    }

    @Test
    void copyWithDockersConfigAndTheCaFromCertsD() throws Exception {
        Map<String, String> env = processEnv();
        write("docker/config.json", authJson("https://" + registry.hostPort() + "/v1/", USER, PASSWORD));

        Cli.Result copy = FerryProcess.run(tmp, env, null, "copy", "-q", ref(), "oci:" + tmp.resolve("layout") + ":app");

        assertEquals(ExitCodes.OK, copy.exitCode(), copy.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("layout"));
    }

    @Test
    void copyWithACredentialHelperOnPath() throws Exception {
        Map<String, String> env = processEnv();
        HelperScript helper = HelperScript.create(tmp.resolve("bin"), "test",
                Map.of(registry.hostPort(), List.of(USER, PASSWORD)));
        env.put("PATH", helper.dir() + ":" + System.getenv("PATH"));
        write("docker/config.json", "{\"credHelpers\":{\"" + registry.hostPort() + "\":\"test\"}}");

        Cli.Result copy = FerryProcess.run(tmp, env, null, "--debug", "copy", "-q", ref(), "oci:" + tmp.resolve("layout"));

        assertEquals(ExitCodes.OK, copy.exitCode(), copy.toString());
        assertEquals(List.of(registry.hostPort()), helper.calls());
        assertFalse(copy.stderr().contains(PASSWORD), "the helper's answer is never logged");
        LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("layout"));
    }

    @Test
    void inspectWithRegistryAuthFileAndTheRuntimeFile() throws Exception {
        Map<String, String> env = processEnv();
        env.put("REGISTRY_AUTH_FILE", write("env-auth.json", authJson(registry.hostPort(), USER, PASSWORD)).toString());
        assertInspected(FerryProcess.run(tmp, env, null, "inspect", ref()));

        Map<String, String> runtime = processEnv();
        write("run/containers/auth.json", authJson(registry.hostPort(), USER, PASSWORD));
        assertInspected(FerryProcess.run(tmp, runtime, null, "inspect", ref()));
    }

    @Test
    void loginThenInspectAndSkopeoReadsWhatLoginWrote() throws Exception {
        Map<String, String> env = processEnv();

        Cli.Result login = FerryProcess.run(tmp, env, PASSWORD + "\n", "login", "--username", USER, "--password-stdin",
                "--cert-dir", certs.caDir().toString(), registry.hostPort());
        assertEquals(ExitCodes.OK, login.exitCode(), login.toString());
        assertEquals("Login Succeeded!", login.stdout().strip());

        assertInspected(FerryProcess.run(tmp, env, null, "inspect", ref()));
        Path written = tmp.resolve("run/containers/auth.json");
        String skopeo = External.check("skopeo", "inspect", "--authfile", written.toString(),
                "--cert-dir", certs.caDir().toString(), ref());
        assertEquals(image.digest().toString(), Json.MAPPER.readTree(skopeo).get("Digest").asString());
    }

    @Test
    void whatSkopeoLoginWritesFerryReads() throws Exception {
        Path authfile = tmp.resolve("skopeo-auth.json");
        External.check("skopeo", "login", "--authfile", authfile.toString(), "--cert-dir", certs.caDir().toString(),
                "-u", USER, "-p", PASSWORD, registry.hostPort());

        assertInspected(Cli.run("inspect", "--authfile", authfile.toString(), "--cert-dir", certs.caDir().toString(), ref()));
    }

    @Test
    void aWrongPasswordExitsUnauthorizedAndIsNeverPrinted() throws Exception {
        Cli.Result inspect = Cli.run("--debug", "inspect", "--creds", USER + ":wrong-Passw0rd",
                "--cert-dir", certs.caDir().toString(), ref());
        Cli.Result login = Cli.run(Map.of(), "wrong-Passw0rd\n", "--debug", "login", "-u", USER, "--password-stdin",
                "--authfile", tmp.resolve("auth.json").toString(), "--cert-dir", certs.caDir().toString(), registry.hostPort());

        assertEquals(ExitCodes.UNAUTHORIZED, inspect.exitCode(), inspect.toString());
        assertEquals(ExitCodes.UNAUTHORIZED, login.exitCode(), login.toString());
        for (Cli.Result result : List.of(inspect, login)) {
            assertFalse(result.stderr().contains("wrong-Passw0rd") || result.stdout().contains("wrong-Passw0rd"), result.toString());
        }
        assertFalse(Files.exists(tmp.resolve("auth.json")), "refused credentials are not stored");
    }

    @Test
    void anUnknownCaIsOneLineThatSuggestsCertDir() {
        Cli.Result inspect = Cli.run("inspect", "--creds", USER + ":" + PASSWORD, ref());

        assertEquals(ExitCodes.NETWORK, inspect.exitCode(), inspect.toString());
        assertEquals(1, inspect.stderr().lines().count(), inspect.stderr());
        assertTrue(inspect.stderr().contains("signed by an unknown authority"), inspect.stderr());
        assertTrue(inspect.stderr().contains("--cert-dir"), inspect.stderr());
        assertTrue(inspect.stderr().contains("/etc/containers/certs.d/" + registry.hostPort() + "/"), inspect.stderr());
    }

    @Test
    void aRegistryThatRequiresAClientCertificateGetsTheOneInCertDir() throws Exception {
        String mtls = "docker://" + clientCertRegistry.hostPort() + "/mtls/app:1";

        assertInspected(Cli.run("inspect", "--cert-dir", certs.clientDir().toString(), mtls));

        Cli.Result without = Cli.run("inspect", "--cert-dir", certs.caDir().toString(), mtls);
        assertEquals(ExitCodes.NETWORK, without.exitCode(), without.toString());
        assertEquals(1, without.stderr().lines().count(), without.stderr());
        assertTrue(without.stderr().contains("wants a client certificate"), without.stderr());
    }

    @Test
    void aUserWithoutPasswordIsAskedOnTheTerminalWithoutEcho() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.Main",
                "inspect", "--no-tags", "--creds", USER, "--cert-dir", certs.caDir().toString(), ref()));
        String shell = String.join(" ", command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        // script(1) gives ferry a terminal; what ferry prints and what the terminal echoes come back on its output.
        Process p = new ProcessBuilder("script", "-qec", shell, "/dev/null").redirectErrorStream(true).start();
        // Read on its own thread, so that the waits below stay bounded whatever the terminal does.
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream out = p.getInputStream()) {
                out.transferTo(seen);
            } catch (java.io.IOException closed) {
                // the process was stopped below
            }
        });
        String prompt = "Password for " + USER + " at " + registry.hostPort() + ": ";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!seen.toString(StandardCharsets.UTF_8).contains(prompt) && reader.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String all;
        try (OutputStream in = p.getOutputStream()) {
            assertTrue(seen.toString(StandardCharsets.UTF_8).contains(prompt), seen.toString(StandardCharsets.UTF_8));
            in.write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ferry did not finish: " + seen.toString(StandardCharsets.UTF_8));
            reader.join(Duration.ofSeconds(10));
            all = seen.toString(StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }

        assertEquals(0, p.exitValue(), all);
        assertTrue(all.contains(image.digest().toString()), all);
        assertFalse(all.contains(PASSWORD), "the password is not echoed:\n" + all);
    }

    @Test
    void theAuthFilesInTheTestsOwnEnvironmentAreNotTheUsers() {
        // surefire points the lookup at target/: a developer's own logins never leak into these tests.
        assertTrue(Stream.of("DOCKER_CONFIG", "XDG_CONFIG_HOME", "FERRY_CERTS_D")
                .allMatch(name -> System.getenv(name) != null && System.getenv(name).contains("target")));
        assertEquals(null, System.getenv("REGISTRY_AUTH_FILE"));
    }
}
