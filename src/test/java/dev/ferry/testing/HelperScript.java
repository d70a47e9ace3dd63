package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A docker credential helper as a shell script, {@code docker-credential-NAME} in a directory of its
 * own (to put on PATH): {@code get} answers JSON for the servers it knows and docker-credential-helpers'
 * "credentials not found" otherwise, and appends every server URL it was asked for to a log.
 */
public record HelperScript(Path dir, Path log) {

    /** @param answers server URL -> {user, secret} */
    public static HelperScript create(Path dir, String name, Map<String, List<String>> answers) throws IOException {
        StringBuilder cases = new StringBuilder();
        answers.forEach((server, pair) -> cases.append("  '").append(server).append("') printf '%s' '")
                .append("{\"ServerURL\":\"").append(server).append("\",\"Username\":\"").append(pair.get(0))
                .append("\",\"Secret\":\"").append(pair.get(1)).append("\"}'; exit 0 ;;\n"));
        return create(dir, name, "case \"$server\" in\n" + cases
                + "  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n");
    }

    /** A helper whose {@code get} runs the given shell code, with the server URL read into {@code $server}. */
    public static HelperScript create(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        Path script = dir.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1\" = get ] || { echo \"unexpected action $1\"; exit 2; }\n"
                + "server=$(cat)\n"
                + "printf '%s\\n' \"$server\" >> '" + log + "'\n"
                + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new HelperScript(dir, log);
    }

    /** The server URLs the helper was asked for, in order; none when it never ran. */
    public List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }
}
