package dev.ferry.credentials;

import dev.ferry.auth.Credentials;
import dev.ferry.files.AtomicFiles;
import dev.ferry.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One auth file in the format docker's {@code config.json} and containers' {@code auth.json} share:
 * {@code auths} (base64 {@code auth}, or {@code identitytoken}), {@code credHelpers} (registry to
 * helper name) and {@code credsStore} (the default helper). Everything else in the file (docker keeps
 * its other settings there) is kept as it is when the file is written back.
 */
public final class AuthFile {

    private static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Tabs and {@code "key": value}, as docker and podman write these files: a diff shows only what changed. */
    private static final DefaultPrettyPrinter AS_DOCKER_WRITES = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("\t", "\n"))
            .withArrayIndenter(new DefaultIndenter("\t", "\n"));
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path path;
    private final ObjectNode root;

    private AuthFile(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    /** What a file says about a repository: credentials it holds, or a helper to ask. */
    sealed interface Entry {
        /** @param key the key that matched, as written in the file */
        record Stored(String key, Credentials credentials) implements Entry {
        }

        /** @param configuredAs where the helper was named, for messages: credHelpers or credsStore */
        record Helper(String key, String name, String configuredAs) implements Entry {
        }
    }

    /** Reads the file; a missing file reads as empty, as it does for docker and podman. */
    public static AuthFile read(Path path) throws CredentialsException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new AuthFile(path, Json.MAPPER.createObjectNode());
        } catch (IOException e) {
            throw new CredentialsException("cannot read the auth file " + path + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new CredentialsException("the auth file " + path + " is larger than " + MAX_BYTES + " bytes");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new AuthFile(path, Json.MAPPER.createObjectNode());
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            // Jackson's message quotes the bytes it choked on, which may be a secret: give the place only.
            var where = e.getLocation();
            throw new CredentialsException("the auth file " + path + " is not valid JSON"
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new CredentialsException("the auth file " + path + " does not hold a JSON object");
        }
        for (String section : List.of("auths", "credHelpers")) {
            if (object.has(section) && !object.get(section).isObject() && !object.get(section).isNull()) {
                throw new CredentialsException("the auth file " + path + " has a \"" + section + "\" that is not an object");
            }
        }
        return new AuthFile(path, object);
    }

    public Path path() {
        return path;
    }

    /**
     * What this file offers for {@code keys} (most specific first), in the order to try them: the
     * credential helpers named in {@code credHelpers}, then credentials in {@code auths}, then the
     * {@code credsStore} helper. Empty when the file knows nothing for these keys.
     */
    List<Entry> entries(List<String> keys) throws CredentialsException {
        List<Entry> entries = new ArrayList<>();
        for (String key : keys) {
            for (Map.Entry<String, JsonNode> e : section("credHelpers").properties()) {
                if (key.equals(AuthKeys.normalizeOrNull(e.getKey())) && e.getValue().isString()
                        && !e.getValue().asString().isEmpty()) {
                    entries.add(new Entry.Helper(key, e.getValue().asString(), "credHelpers in " + path));
                }
            }
        }
        for (String key : keys) {
            for (Map.Entry<String, JsonNode> e : section("auths").properties()) {
                if (key.equals(AuthKeys.normalizeOrNull(e.getKey()))) {
                    Credentials credentials = credentials(e.getKey(), e.getValue());
                    if (credentials != null) {
                        entries.add(new Entry.Stored(e.getKey(), credentials));
                    }
                }
            }
        }
        JsonNode store = root.get("credsStore");
        if (store != null && store.isString() && !store.asString().isEmpty()) {
            entries.add(new Entry.Helper(keys.getLast(), store.asString(), "credsStore in " + path));
        }
        return entries;
    }

    /**
     * The credentials of one {@code auths} entry. An empty entry is no credentials: docker writes
     * {@code {}} for registries whose credentials live in its {@code credsStore}.
     */
    private Credentials credentials(String key, JsonNode entry) throws CredentialsException {
        if (!entry.isObject()) {
            return null;
        }
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (auth != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CredentialsException("the auth file " + path + " has an \"auth\" for " + key + " that is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new CredentialsException("the auth file " + path + " has an \"auth\" for " + key
                        + " that is not base64 of USER:PASSWORD");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String identityToken = text(entry, "identitytoken");
        if (identityToken != null) {
            return Credentials.identityToken(username, identityToken);
        }
        if (username == null || username.isEmpty() || password == null) {
            return null;
        }
        return new Credentials(username, password);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }

    private ObjectNode section(String name) {
        JsonNode node = root.get(name);
        return node instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
    }

    private ObjectNode sectionForWriting(String name) {
        JsonNode node = root.get(name);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return root.putObject(name);
    }

    /** The keys in {@code auths} that name the given registry or repository, in any spelling. */
    public List<String> authKeys(String normalizedKey) {
        List<String> found = new ArrayList<>();
        for (String key : section("auths").propertyNames()) {
            if (normalizedKey.equals(AuthKeys.normalizeOrNull(key))) {
                found.add(key);
            }
        }
        return found;
    }

    /** Stores credentials for a registry or repository, replacing every other spelling of its key. */
    public void put(String normalizedKey, Credentials credentials) {
        remove(normalizedKey);
        String pair = credentials.username() + ":" + credentials.password();
        sectionForWriting("auths").putObject(AuthKeys.storedForm(normalizedKey))
                .put("auth", Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** Removes the credentials for a registry or repository; false when there were none. */
    public boolean remove(String normalizedKey) {
        List<String> keys = authKeys(normalizedKey);
        keys.forEach(section("auths")::remove);
        return !keys.isEmpty();
    }

    /**
     * Removes every stored credential; false when there were none. {@code credHelpers} and
     * {@code credsStore} stay: they say where credentials live, they hold none.
     */
    public boolean removeAll() {
        boolean any = !section("auths").isEmpty();
        if (root.get("auths") instanceof ObjectNode auths) {
            auths.removeAll();
        }
        return any;
    }

    /**
     * Writes the file atomically: a temporary file beside it, created 0600 (it holds passwords),
     * flushed to disk and renamed over the old one, so a reader sees the old or the new file, never
     * half of one. A symbolic link (dotfile managers make them) stays a link: its target is replaced.
     */
    public void write() throws IOException {
        Path target = Files.isSymbolicLink(path) ? path.toRealPath() : path;
        Path dir = target.toAbsolutePath().getParent();
        byte[] bytes = Json.MAPPER.writer().with(AS_DOCKER_WRITES).writeValueAsBytes(root);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, POSIX ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                        : new FileAttribute<?>[0]);
            }
            AtomicFiles.write(target, bytes, POSIX ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0]);
        } catch (IOException e) {
            throw new CredentialsException("cannot write the auth file " + target + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
