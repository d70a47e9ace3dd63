package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ListTagsPaginationTest {

    static final String TAGS = "/v2/apps/web/tags/list";
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        TestImage image = TestImage.builder().build();
        for (String tag : List.of("a", "b", "c", "d", "e")) {
            registry.put("apps/web", tag, image);
        }
        registry.tagPageSize = 2;
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @ParameterizedTest(name = "absolute links: {0}")
    @ValueSource(booleans = {false, true})
    void listTagsFollowsLinkHeadersAcrossThreePagesAndPrintsEveryTag(boolean absoluteLinks) {
        registry.absoluteLinks = absoluteLinks;

        Cli.Result result = Cli.run("list-tags", registry.ref("apps/web"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        JsonNode printed = Json.MAPPER.readTree(result.stdout());
        assertEquals(List.of("Repository", "Tags"), List.copyOf(printed.propertyNames()));
        assertEquals(registry.hostPort() + "/apps/web", printed.get("Repository").asString());
        assertEquals(List.of("a", "b", "c", "d", "e"), Json.MAPPER.convertValue(printed.get("Tags"), List.class));
        List<String> queries = registry.requests(TAGS).stream().map(r -> String.valueOf(r.getUrl().query())).toList();
        assertEquals(List.of("null", "n=2&last=b", "n=2&last=d"), queries);
    }

    @Test
    void listTagsPrintsSkopeosIndentedShape() {
        registry.tagPageSize = 0;

        Cli.Result result = Cli.run("list-tags", registry.ref("apps/web"));

        assertEquals("""
                {
                    "Repository": "%s/apps/web",
                    "Tags": [
                        "a",
                        "b",
                        "c",
                        "d",
                        "e"
                    ]
                }
                """.formatted(registry.hostPort()), result.stdout());
    }

    @Test
    void aLinkNamingAnotherHostIsFollowedOnTheRegistryItselfSoTheTokenStaysThere() throws Exception {
        registry.tokenIssuer = registry;
        try (FakeRegistry elsewhere = FakeRegistry.start()) {
            registry.on(TAGS, request -> {
                if (request.getUrl().queryParameter("last") != null) {
                    return FakeRegistry.json(200, "{\"tags\":[\"c\"]}");
                }
                return FakeRegistry.json(200, "{\"tags\":[\"a\",\"b\"]}").newBuilder()
                        .addHeader("Link", "<" + elsewhere.url(TAGS) + "?n=2&last=b>; rel=\"next\"").build();
            });

            Cli.Result result = Cli.run("list-tags", registry.ref("apps/web"));

            assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
            assertEquals(List.of("a", "b", "c"),
                    Json.MAPPER.convertValue(Json.MAPPER.readTree(result.stdout()).get("Tags"), List.class));
            assertEquals(0, elsewhere.count(TAGS), "as skopeo, only the Link's path and query are used");
            assertEquals("n=2&last=b", registry.requests(TAGS).getLast().getUrl().query());
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLinkBackToAPageAlreadyReadEndsTheListingInsteadOfLooping() {
        registry.on(TAGS, request -> new mockwebserver3.MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .addHeader("Link", "<" + TAGS + ">; rel=\"next\"")
                .body("{\"name\":\"apps/web\",\"tags\":[\"only\"]}")
                .build());

        Cli.Result result = Cli.run("list-tags", registry.ref("apps/web"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(1, registry.count(TAGS));
    }
}
