package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.http.HttpClients;
import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManifestFetchTest {

    final TestImage image = TestImage.builder().build();
    final TestImage other = TestImage.builder().layer(Map.of("etc/other", "other")).build();
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", image);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void theManifestRequestAcceptsIndexesAndManifestsOfBothOciAndDocker() throws Exception {
        try (RegistryClients clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(5)))) {
            clients.client(ImageReference.parseRepository(registry.hostPort() + "/apps/web"), RegistryAccess.anonymous())
                    .manifest("1.0");
        }

        String accept = registry.requests("/v2/apps/web/manifests/1.0").getFirst().getHeaders().get("Accept");
        Set<String> types = Arrays.stream(accept.split(",")).map(t -> t.split(";")[0].trim()).collect(Collectors.toSet());
        assertEquals(Set.of(
                "application/vnd.oci.image.index.v1+json",
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.docker.distribution.manifest.v2+json"), types);
    }

    @Test
    void aManifestThatDoesNotHashToThePinnedDigestFailsVerification() {
        // The registry serves another image's bytes under this image's digest.
        registry.putManifest("apps/web", image.digest().toString(), other.manifest());

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web@" + image.digest()));

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(image.digest().toString()), result.stderr());
        assertEquals(0, registry.count("/v2/apps/web/blobs/" + other.config().digest()), "nothing past the manifest is read");
    }

    @Test
    void aDockerContentDigestHeaderThatDoesNotMatchTheBodyFailsVerification() {
        registry.on("/v2/apps/web/manifests/1.0", new MockResponse.Builder()
                .addHeader("Content-Type", image.manifest().mediaType())
                .addHeader("Docker-Content-Digest", other.digest())
                .body(new Buffer().write(image.manifest().bytes()))
                .build());

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("Docker-Content-Digest"), result.stderr());
    }

    @Test
    void aManifestWithoutMediaTypeInItsJsonTakesItsTypeFromTheContentType() {
        // By its shape alone the manifest would be taken for OCI; the Content-Type says Docker.
        TestImage bare = TestImage.builder().docker().withoutMediaTypeField().build();
        registry.put("apps/bare", "1.0", bare);
        assertFalse(Json.MAPPER.readTree(bare.manifest().bytes()).has("mediaType"));

        Cli.Result result = Cli.run("inspect", "--no-tags", registry.ref("apps/bare:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(MediaType.DOCKER_MANIFEST.value(), Json.MAPPER.readTree(result.stdout()).get("MediaType").asString());
    }

    @Test
    void theContentTypeParametersDoNotHideTheMediaType() {
        TestImage bare = TestImage.builder().docker().withoutMediaTypeField().build();
        registry.put("apps/bare", "1.0", bare);
        registry.putManifest("apps/bare", "1.0",
                new Blob(MediaType.DOCKER_MANIFEST.value() + "; charset=utf-8", bare.manifest().bytes()));

        Cli.Result result = Cli.run("inspect", "--no-tags", registry.ref("apps/bare:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(MediaType.DOCKER_MANIFEST.value(), Json.MAPPER.readTree(result.stdout()).get("MediaType").asString());
    }
}
