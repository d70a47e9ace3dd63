package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.http.RetryPolicy;
import dev.ferry.transfer.RangeOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a parsed command line leaves in a command's fields: each option bound by hand reaches its
 * field, with the defaults, fallback values and list semantics picocli's annotations gave.
 */
class OptionBindingTest {

    private FerryCommand root;

    @Test
    void copyOptionsReachTheirFieldsAndUnsetOnesKeepTheirDefaults() {
        CopyCommand copy = parse("copy", "--debug", "--dest-tls-verify=false", "--src-tls-verify", "--format", "json",
                "--format", "oci", "--authfile", "auth.json", "--src-creds", "u:p", "-a", "--retry-delay", "2s",
                "--max-connections-per-registry", "9", "docker://a/b:1", "oci:dir:1");

        assertTrue(root.debug);
        assertEquals("2s", root.retryDelay);
        assertEquals(RetryPolicy.DEFAULT_TIMES, root.retryTimes);
        assertTrue(copy.sourceRegistry.tlsVerify);
        assertFalse(copy.destinationRegistry.tlsVerify);
        assertEquals("u:p", copy.sourceRegistry.creds);
        assertNull(copy.destinationRegistry.creds);
        assertEquals(List.of("json", "oci"), copy.transfer.format);
        assertEquals(Path.of("auth.json"), copy.authfile);
        assertTrue(copy.transfer.all);
        assertEquals(dev.ferry.transfer.TransferOptions.DEFAULT_PARALLEL, copy.transfer.parallel);
        assertEquals("auto", copy.transfer.perLayer);
        assertEquals(9, copy.transfer.perRegistry);
        assertEquals("8MiB", copy.transfer.chunkSize);
        assertEquals("32MiB", copy.transfer.threshold);
        assertEquals("docker://a/b:1", copy.source);
        assertEquals("oci:dir:1", copy.destination);
        assertFalse(copy.verifyDiffIds);
    }

    @Test
    void aRegistryCommandVerifiesTlsUnlessToldNotTo() {
        InspectCommand inspect = parse("inspect", "--retry-times", "0", "-n", "--override-arch", "arm64", "docker://a/b");

        assertTrue(inspect.registry.tlsVerify);
        assertTrue(inspect.noTags);
        assertEquals("arm64", inspect.platform.arch);
        assertNull(inspect.platform.os);
        assertEquals(0, root.retryTimes);
        assertEquals("docker://a/b", inspect.image);
    }

    @Test
    void saveCollectsEveryImageAndSyncsIntervalFallsBackToTheFilesDefault() {
        SaveCommand save = parse("save", "-o", "out.tar", "a:1", "b:2", "c:3");
        assertEquals(List.of("a:1", "b:2", "c:3"), save.images);
        assertEquals(Path.of("out.tar"), save.output);

        SyncCommand sync = parse("sync", "--interval", "--", "config.yml");
        assertEquals("", sync.interval);
        assertEquals("text", sync.format);
        assertEquals(Path.of("config.yml"), sync.config);
    }

    @Test
    void logoutsRegistryMayBeLeftOut() {
        LogoutCommand logout = parse("logout", "--all");

        assertTrue(logout.all);
        assertNull(logout.registry);
    }

    /** Parses as {@link Main} registers the command, without running it. */
    @SuppressWarnings("unchecked")
    private <T> T parse(String command, String... args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        root = new FerryCommand(InputStream.nullInputStream(), nowhere, nowhere, Map.of());
        CommandLine cli = new CommandLine(root.spec());
        cli.addSubcommand(command, FerryCommand.SUBCOMMANDS.get(command).apply(root));
        String[] line = new String[args.length + 1];
        line[0] = command;
        System.arraycopy(args, 0, line, 1, args.length);
        cli.parseArgs(line);
        return (T) cli.getSubcommands().get(command).getCommand();
    }
}
