package dev.ferry.aot;

import dev.ferry.cli.ExitCodes;
import dev.ferry.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run for the JVM's ahead-of-time cache ({@code -XX:AOTCacheOutput}): it runs the
 * commands users wait for against a loopback {@link TrainingRegistry} in a child process, so that
 * the classes they load, and only those, are cached. Offline by design: no registry, no network.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /**
     * Trains every command, or with the argument {@code queries} only the commands that print what a
     * registry holds (inspect, list-tags, history, help): their own cache is two thirds the size, and a
     * command that runs for a few hundred milliseconds pays for every class the cache loads at start.
     */
    public static void main(String[] args) throws IOException {
        boolean queries = args.length > 0 && args[0].equals("queries");
        List<String> unexpected = (queries ? train(true) : train()).unexpected();
        if (!unexpected.isEmpty()) {
            // The cache is still worth keeping: it holds what the other commands loaded.
            System.err.println("ferry AOT training: unexpected exit codes: " + unexpected);
        }
    }

    /** The command lines run, and those among them that did not end as expected (none, normally). */
    record Result(List<String> ran, List<String> unexpected) {
    }

    /** Runs the training commands. */
    static Result train() throws IOException {
        return train(false);
    }

    /** Runs the training commands: with {@code queriesOnly}, those of {@link #main}'s queries alone. */
    static Result train(boolean queriesOnly) throws IOException {
        try (Registries registries = Registries.start()) {
            return train(queriesOnly, registries.source(), registries.target());
        }
    }

    private static Result train(boolean queriesOnly, int sourcePort, int targetPort) throws IOException {
        Commands commands = new Commands(new PrintStream(OutputStream.nullOutputStream()));
        String repo = "127.0.0.1:" + sourcePort + "/train";
        String pullRepo = repo.replace("/train", "/pulltrain");
        commands.ok("inspect", "docker://" + repo + ":latest");
        commands.ok("inspect", "--override-arch", "amd64", "docker://" + repo + ":multi");
        commands.ok("inspect", "--raw", "docker://" + repo + ":latest");
        commands.ok("inspect", "--config", "docker://" + repo + ":latest");
        commands.ok("inspect", "--format", "{{.Digest}} {{range .RepoTags}}{{.}} {{end}}{{index .Labels \"a\"}}",
                "docker://" + repo + ":latest");
        commands.ok("list-tags", "docker://" + repo);
        commands.exits(ExitCodes.NOT_FOUND, "inspect", "docker://" + repo + ":missing");
        commands.ok("--help");
        commands.ok("history", "docker://" + repo + ":latest");
        if (queriesOnly) {
            return new Result(commands.ran(), commands.unexpected());
        }
        // The pull path: profiles recorded here let the compiler reach the hot loops sooner.
        java.nio.file.Path layout = java.nio.file.Files.createTempDirectory("ferry-aot-training");
        try {
            for (int i = 0; i < 3; i++) {
                commands.ok("pull", "--format", "json", "docker://" + pullRepo + ":1",
                        layout.resolve("run" + i).toString());
            }
            // Layouts and their tars: inspect, pack and unpack.
            commands.ok("inspect", "oci:" + layout.resolve("run0"));
            commands.ok("copy", "oci:" + layout.resolve("run0"), "oci-archive:" + layout.resolve("image.tar"));
            commands.ok("inspect", "oci-archive:" + layout.resolve("image.tar"));
        } finally {
            dev.ferry.files.FileTrees.delete(layout);
        }
        sync(commands, repo, targetPort);
        for (int i = 0; i < 2; i++) {
            commands.ok("copy", "--format", "json", "docker://" + pullRepo + ":1",
                    "docker://127.0.0.1:" + targetPort + "/copytrain:1");
            commands.ok("copy", "docker://" + pullRepo + ":1", "docker://" + repo + "/mounted:1");
        }
        return new Result(commands.ran(), commands.unexpected());
    }

    /**
     * sync as scripts/bench-sync runs it: a round that copies every tag to another registry, then
     * rounds into a mirror that already holds them (nothing to copy: start-up and requests alone).
     */
    private static void sync(Commands commands, String repo, int targetPort) throws IOException {
        String source = repo.substring(0, repo.indexOf('/'));
        java.nio.file.Path copying = java.nio.file.Files.createTempFile("ferry-aot-sync", ".yaml");
        java.nio.file.Path unchanged = java.nio.file.Files.createTempFile("ferry-aot-sync", ".yaml");
        try {
            String target = "\"127.0.0.1:" + targetPort + "\":\n  tls-verify: false\n";
            java.nio.file.Files.writeString(copying, "\"" + source + "\":\n  tls-verify: false\n  images:\n"
                    + "    pulltrain: [\"1\"]\n" + target);
            java.nio.file.Files.writeString(unchanged, "\"" + source + "\":\n  tls-verify: false\n  images:\n"
                    + "    train: []\n    pulltrain: [\"1\"]\n");
            commands.ok("sync", "--dest", "127.0.0.1:" + targetPort + "/synced", copying.toString());
            for (int i = 0; i < 2; i++) {
                commands.ok("sync", "--format", "json", "--dest", source + "/mirror", unchanged.toString());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(copying);
            java.nio.file.Files.deleteIfExists(unchanged);
        }
    }

    /** Runs CLI commands with their output dropped, noting those that end other than expected. */
    private record Commands(PrintStream sink, List<String> ran, List<String> unexpected) {
        Commands(PrintStream sink) {
            this(sink, new ArrayList<>(), new ArrayList<>());
        }

        void ok(String... args) {
            exits(ExitCodes.OK, args);
        }

        void exits(int exitCode, String... args) {
            ran.add(String.join(" ", args));
            int got = Main.run(sink, sink, args);
            if (got != exitCode) {
                unexpected.add(String.join(" ", args) + " -> " + got);
            }
        }
    }
}
