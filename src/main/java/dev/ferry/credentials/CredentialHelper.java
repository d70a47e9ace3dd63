package dev.ferry.credentials;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.auth.Credentials;
import dev.ferry.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;

/**
 * Runs a docker credential helper ({@code docker-credential-NAME get}, the server URL on standard
 * input, JSON on standard output), as docker and podman do. What it answers is a secret: it is never
 * logged nor quoted in a message; only its error text (on a failure, helpers print that instead of
 * JSON) is.
 */
final class CredentialHelper {

    /** A desktop keychain may ask its user to unlock it: give them time. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT = 1024 * 1024;
    /** What docker-credential-helpers print when they hold nothing for the server. */
    private static final String NOT_FOUND = "credentials not found";
    /** The user name helpers give for an identity token instead of a password. */
    private static final String TOKEN_USER = "<token>";

    private final String name;
    private final List<Path> searchPath;

    /**
     * @param name the NAME in docker-credential-NAME, as an auth file gives it
     * @param searchPath the directories to look for the program in ({@code PATH})
     */
    CredentialHelper(String name, List<Path> searchPath) {
        this.name = name;
        this.searchPath = searchPath;
    }

    String program() {
        return "docker-credential-" + name;
    }

    private record Answer(@JsonProperty("Username") String username, @JsonProperty("Secret") String secret) {
    }

    /**
     * The credentials the helper holds for a server, or null when it has none.
     *
     * @param configuredAs where the helper was named, for messages
     */
    Credentials get(String serverUrl, String configuredAs) throws CredentialsException {
        // The name comes from a file: it must not walk out of PATH or carry options.
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new CredentialsException("the credential helper name '" + name + "' (" + configuredAs + ") is not valid");
        }
        Path executable = find();
        if (executable == null) {
            throw new CredentialsException("the credential helper " + program() + " (" + configuredAs
                    + ") is not installed: no such program on PATH");
        }
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "get")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new CredentialsException("cannot run the credential helper " + executable + ": " + e.getMessage(), e);
        }
        byte[] output;
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // A helper that exits without reading its input still answers on its output.
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CredentialsException("the credential helper " + program() + " did not answer within "
                        + TIMEOUT.toSeconds() + "s");
            }
            try (InputStream stdout = process.getInputStream()) {
                output = stdout.readNBytes(MAX_OUTPUT);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CredentialsException("interrupted while waiting for the credential helper " + program(), e);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new CredentialsException("cannot read the answer of the credential helper " + program(), e);
        }
        String text = new String(output, StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            if (text.toLowerCase(Locale.ROOT).contains(NOT_FOUND)) {
                return null;
            }
            String first = text.lines().findFirst().orElse("");
            throw new CredentialsException("the credential helper " + program() + " failed for " + serverUrl
                    + " (exit " + process.exitValue() + ")" + (first.isEmpty() ? "" : ": "
                    + (first.length() > 200 ? first.substring(0, 200) + "..." : first)));
        }
        Answer answer;
        try {
            answer = Json.MAPPER.readValue(output, Answer.class);
        } catch (JacksonException e) {
            throw new CredentialsException("the credential helper " + program() + " answered something that is not JSON");
        }
        if (answer == null || answer.secret() == null || answer.secret().isEmpty()) {
            return null;
        }
        if (TOKEN_USER.equals(answer.username())) {
            return Credentials.identityToken(null, answer.secret());
        }
        if (answer.username() == null || answer.username().isEmpty()) {
            throw new CredentialsException("the credential helper " + program() + " answered no Username for " + serverUrl);
        }
        return new Credentials(answer.username(), answer.secret());
    }

    private Path find() {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
