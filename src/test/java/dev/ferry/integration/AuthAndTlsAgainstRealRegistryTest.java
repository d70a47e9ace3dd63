package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real docker-registry with htpasswd Basic auth behind TLS with a self-signed certificate. */
class AuthAndTlsAgainstRealRegistryTest {

    static final String USER = "ferry";
    static final String PASSWORD = "s3cret-Passw0rd";
    static LocalRegistry registry;
    static TestImage image;
    static TestImage umociStyle;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start("--tls", "--htpasswd", USER + ":" + PASSWORD);
        TestPusher pusher = new TestPusher(HttpUrl.get("https://" + registry.hostPort() + "/"),
                new Credentials(USER, PASSWORD).basicHeader(), true);
        image = TestImage.builder().layer(Map.of("secret/file", "behind auth")).build();
        pusher.push("private/app", "1", image);
        // umoci writes OCI manifests without the optional mediaType field.
        umociStyle = TestImage.builder().withoutMediaTypeField().layer(Map.of("u", "umoci style")).build();
        pusher.push("private/umoci", "1", umociStyle);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private String ref(String repoTag) {
        return "docker://" + registry.hostPort() + "/" + repoTag;
    }

    @Test
    void credentialsOverTlsMarkedInsecureInspectLikeSkopeo() throws Exception {
        Cli.Result ferry = Cli.run("inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD, ref("private/app:1"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        String skopeo = External.check("skopeo", "inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD,
                ref("private/app:1"));
        assertEquals(Json.MAPPER.readTree(skopeo).get("Digest"), Json.MAPPER.readTree(ferry.stdout()).get("Digest"));
        assertEquals(image.digest().toString(), Json.MAPPER.readTree(ferry.stdout()).get("Digest").asString());
    }

    @Test
    void withoutCredentialsTheRegistryRefusesWithTheUnauthorizedExitCode() {
        Cli.Result ferry = Cli.run("inspect", "--tls-verify=false", ref("private/app:1"));
        assertEquals(4, ferry.exitCode(), ferry.toString());
        assertTrue(ferry.stderr().contains("--creds"), ferry.stderr());
        assertFalse(ferry.stderr().contains("\tat "), ferry.stderr());
    }

    @Test
    void aWrongPasswordIsRefusedWithTheUnauthorizedExitCodeAndNeverEchoed() {
        Cli.Result ferry = Cli.run("--debug", "inspect", "--tls-verify=false", "--creds", USER + ":wrong-Passw0rd",
                ref("private/app:1"));
        assertEquals(4, ferry.exitCode(), ferry.toString());
        assertFalse(ferry.stderr().contains("wrong-Passw0rd"), ferry.stderr());
    }

    @Test
    void anUntrustedCertificateFailsWithoutTlsVerifyFalse() {
        Cli.Result ferry = Cli.run("inspect", "--creds", USER + ":" + PASSWORD, ref("private/app:1"));
        assertEquals(6, ferry.exitCode(), ferry.toString());
        assertTrue(ferry.stderr().contains("--tls-verify=false"), ferry.stderr());
    }

    @Test
    void aManifestWithoutMediaTypeTakesItsTypeFromTheContentType() {
        Cli.Result ferry = Cli.run("inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD, ref("private/umoci:1"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        assertEquals(MediaType.OCI_MANIFEST.value(), Json.MAPPER.readTree(ferry.stdout()).get("MediaType").asString());
        assertEquals(umociStyle.digest().toString(), Json.MAPPER.readTree(ferry.stdout()).get("Digest").asString());
    }

    @Test
    void pullWithCredentialsOverTlsVerifiesEveryBlob(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Cli.Result ferry = Cli.run("pull", "-q", "--tls-verify=false", "--creds", USER + ":" + PASSWORD,
                ref("private/app:1"), tmp.resolve("layout").toString());
        assertEquals(0, ferry.exitCode(), ferry.toString());
        dev.ferry.testing.LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("layout"));
    }

}
