package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A registry's text (error messages, tags, labels) that would act on a terminal: an escape
 * sequence, a bell, a carriage return and a forged prompt on a line of its own, bidi overrides.
 * Whatever line carries it, the terminal gets visible escapes instead.
 */
class TerminalInjectionTest {

    static final String HOSTILE = "no\u001b]0;owned\u0007\r\npassword: ";
    static final String SHOWN = "no\\x1b]0;owned\\x07\\r\\npassword: ";
    final TestImage image = TestImage.builder().label("note", "a\u009b31mb\u202ec\u007fd").label("k\u2067ey", "v")
            .build();
    FakeRegistry registry;
    String name;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", image);
        name = registry.hostPort() + "/apps/web";
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    static void assertNothingActsOnATerminal(String text) {
        assertFalse(text.chars().anyMatch(c -> c != '\n' && TerminalText.unsafe((char) c)), text);
    }

    @Test
    void theWarningThatTheTagsCannotBeListedShowsTheRegistrysMessageEscaped() {
        registry.on("/v2/apps/web/tags/list", FakeRegistry.error(403, "DENIED", HOSTILE));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals("warning: cannot list the tags of " + name + " (" + name + ": listing tags failed: HTTP 403 DENIED: "
                + SHOWN + "); RepoTags is empty (use --no-tags to skip listing)\n", result.stderr());
    }

    @Test
    void theErrorLineShowsTheRegistrysMessageEscaped() {
        registry.on("/v2/apps/web/manifests/2.0", FakeRegistry.error(404, "MANIFEST_UNKNOWN", HOSTILE));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:2.0"));

        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertEquals("ferry: " + name + ":2.0: fetching manifest failed: HTTP 404 MANIFEST_UNKNOWN: " + SHOWN
                + " (check the repository and tag)\n", result.stderr());
    }

    @Test
    void withDebugTheStackTraceAndTheRequestLogAreEscapedToo() {
        registry.on("/v2/apps/web/manifests/2.0", FakeRegistry.error(404, "MANIFEST_UNKNOWN", HOSTILE));

        Cli.Result result = Cli.run("--debug", "inspect", registry.ref("apps/web:2.0"));

        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("\tat dev.ferry."), "a stack trace, indented:\n" + result.stderr());
        assertTrue(result.stderr().contains("RegistryException: " + name + ":2.0: fetching manifest failed: HTTP 404 "
                + "MANIFEST_UNKNOWN: " + SHOWN + "\n"), result.stderr());
        assertFalse(result.stderr().chars().anyMatch(c -> c != '\n' && c != '\t' && TerminalText.unsafe((char) c)),
                result.stderr());
    }

    @Test
    void aRegistrysVeryLongErrorMessageIsCutOnTheErrorLine() {
        registry.on("/v2/apps/web/manifests/2.0", FakeRegistry.error(404, "MANIFEST_UNKNOWN", "x".repeat(60_000)));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:2.0"));

        BadInputTest.assertFailsCleanly(ExitCodes.NOT_FOUND, result);
        assertTrue(result.stderr().length() < Failures.MAX_LINE + 100, result.stderr().length() + " characters");
        assertTrue(result.stderr().endsWith(" more characters)\n"), result.stderr());
    }

    @Test
    void formatPrintsTheTemplatesOwnTabsButEscapesTheRegistrysTags() {
        registry.on("/v2/apps/web/tags/list", FakeRegistry.json(200,
                "{\"name\":\"apps/web\",\"tags\":[\"1.0\",\"\\u001b[2J\\u202eevil\\tx\"]}"));

        Cli.Result result = Cli.run("inspect", "--format", "{{range .RepoTags}}{{.}}\\t{{end}}", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals("1.0\t\\x1b[2J\\u202eevil\\tx\t\n", result.stdout());
    }

    @Test
    void formatOfPrintableValuesIsByteExact() {
        Cli.Result result = Cli.run("inspect", "--format", "{{.Name}}\t{{index .RepoTags 0}}\n{{printf \"%s\\n\" .Os}}",
                registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(name + "\t1.0\nlinux\n\n", result.stdout());
    }

    @Test
    void theJsonOutputEscapesDelC1AndBidiCharactersAndKeepsTheirValue() {
        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("\"note\": \"a\\u009b31mb\\u202ec\\u007fd\""), result.stdout());
        assertTrue(result.stdout().contains("\"k\\u2067ey\": \"v\""), "keys too:\n" + result.stdout());
        assertNothingActsOnATerminal(result.stdout());
        JsonNode parsed = Json.MAPPER.readTree(result.stdout());
        assertEquals("a\u009b31mb\u202ec\u007fd", parsed.get("Labels").get("note").asString());
    }

    @Test
    void formatEscapesALabelsControlCharacters() {
        Cli.Result result = Cli.run("inspect", "--format", "{{index .Labels \"note\"}}", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals("a\\x9b31mb\\u202ec\\x7fd\n", result.stdout());
    }

    @Test
    void theListOfTagsEscapesWhatWouldActOnATerminal() {
        registry.on("/v2/apps/web/tags/list", FakeRegistry.json(200,
                "{\"name\":\"apps/web\",\"tags\":[\"1.0\",\"\\u009b2J\\u2066x\"]}"));

        Cli.Result result = Cli.run("list-tags", "docker://" + name);

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("\"\\u009b2J\\u2066x\""), result.stdout());
        assertNothingActsOnATerminal(result.stdout());
    }

    @Test
    void twoLayersOfTheLargestSizeAddUpToTheLargestSizeNotANegativeOne(@TempDir Path tmp) {
        TestImage two = TestImage.builder().layer(Map.of("a", "1")).layer(Map.of("b", "2")).build();
        registry.put("apps/web", "two", two);
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(two.manifest().bytes());
        manifest.get("layers").forEach(layer -> ((ObjectNode) layer).put("size", Long.MAX_VALUE));
        registry.putManifest("apps/web", "huge", new Blob(MediaType.OCI_MANIFEST.value(),
                manifest.toString().getBytes(StandardCharsets.UTF_8)));

        Cli.Result result = Cli.run("pull", registry.ref("apps/web:huge"), tmp.resolve("l").toString());

        assertTrue(result.stderr().contains(" (3 blobs, 8589934592.00 GiB)"), result.toString());
        assertFalse(result.stderr().contains("-2 B"), result.stderr());
    }
}
