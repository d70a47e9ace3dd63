package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How inspect spends round trips: the tag list does not wait for the image's config. */
class InspectRoundTripsTest {

    final TestImage image = TestImage.builder().build();
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", image);
        registry.put("apps/web", "2.0", image);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void theTagListIsAskedForWhileTheConfigIsOnItsWay() throws Exception {
        CountDownLatch tagsAsked = new CountDownLatch(1);
        AtomicBoolean configWaitedForTags = new AtomicBoolean();
        byte[] config = image.config().bytes();
        // The config is answered only once the tag list has been asked for (or after 10 s): a client
        // that asks for the tags after the config has arrived makes the config wait the whole time.
        registry.on("/v2/apps/web/blobs/" + image.config().digest(), request -> {
            try {
                configWaitedForTags.set(tagsAsked.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse.Builder().body(new okio.Buffer().write(config)).build();
        });
        registry.on("/v2/apps/web/tags/list", request -> {
            tagsAsked.countDown();
            return new MockResponse.Builder().addHeader("Content-Type", "application/json")
                    .body("{\"name\":\"apps/web\",\"tags\":[\"1.0\",\"2.0\"]}").build();
        });

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(configWaitedForTags.get(), "the tag list was asked for before the config arrived");
        JsonNode out = Json.MAPPER.readTree(result.stdout());
        assertEquals(2, out.get("RepoTags").size());
        assertEquals(image.config().digest().toString(), out.get("ImageID").asString());
    }
}
