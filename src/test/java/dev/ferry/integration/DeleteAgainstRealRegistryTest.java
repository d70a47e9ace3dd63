package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ferry delete} against a real docker-registry that allows deleting, beside skopeo delete. */
class DeleteAgainstRealRegistryTest {

    static LocalRegistry registry;
    static TestPusher pusher;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
        pusher = new TestPusher(registry.hostPort());
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    static String ref(String repoAndReference) {
        return "docker://" + registry.hostPort() + "/" + repoAndReference;
    }

    static int inspectExit(String repoAndReference) {
        return Cli.run("inspect", "-n", ref(repoAndReference)).exitCode();
    }

    @Test
    void deletingByTagRemovesTheManifestAndEveryTagThatNamesIt() throws Exception {
        TestImage image = TestImage.builder().layer(Map.of("a", "deleted by tag")).build();
        pusher.push("del/app", "1", image);
        pusher.pushManifest("del/app", "also", image.manifest());

        Cli.Result result = Cli.run("delete", ref("del/app:1"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals("", result.stdout());
        assertEquals(ExitCodes.NOT_FOUND, inspectExit("del/app:1"));
        assertEquals(ExitCodes.NOT_FOUND, inspectExit("del/app:also"));
        assertEquals(ExitCodes.NOT_FOUND, inspectExit("del/app@" + image.digest()));
        Cli.Result again = Cli.run("delete", ref("del/app@" + image.digest()));
        assertEquals(ExitCodes.NOT_FOUND, again.exitCode(), again.toString());
        assertTrue(again.stderr().contains("MANIFEST_UNKNOWN"), again.stderr());
    }

    @Test
    void deletingByDigestDoesWhatSkopeoDeleteDoes() throws Exception {
        TestImage ours = TestImage.builder().layer(Map.of("b", "deleted by ferry")).build();
        TestImage theirs = TestImage.builder().layer(Map.of("b", "deleted by skopeo")).build();
        pusher.push("del/ours", "1", ours);
        pusher.push("del/theirs", "1", theirs);

        Cli.Result result = Cli.run("delete", ref("del/ours@" + ours.digest()));
        External.check("skopeo", "delete", "--tls-verify=false", ref("del/theirs@" + theirs.digest()));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(ExitCodes.NOT_FOUND, inspectExit("del/ours:1"));
        assertEquals(ExitCodes.NOT_FOUND, inspectExit("del/theirs:1"));
    }
}
