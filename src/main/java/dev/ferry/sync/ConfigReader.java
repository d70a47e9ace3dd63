package dev.ferry.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.InjectableValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a sync configuration: regsync's format (a {@code sync} list) or skopeo sync's (registries
 * as top-level keys). Every error is a {@link ConfigException} naming the file, line, column and
 * field.
 */
public final class ConfigReader {

    static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final List<String> REGSYNC_KEYS = List.of("version", "creds", "defaults", "sync");

    private ConfigReader() {
    }

    /**
     * @param env where {@code {{env "NAME"}}} is looked up
     * @param destination skopeo sync's destination argument, for a skopeo file (null otherwise)
     */
    public static SyncConfig read(Path file, Map<String, String> env, String destination) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(file + ": larger than " + MAX_BYTES / 1024 / 1024 + " MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        return parse(file.toString(), bytes, env, destination);
    }

    static SyncConfig parse(String name, byte[] bytes, Map<String, String> env, String destination) {
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .injectableValues(new InjectableValues.Std().addValue("env", Map.copyOf(env)))
                .build();
        try {
            JsonNode root = mapper.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new ConfigException(name + ": not a YAML mapping (regsync's or skopeo sync's format)");
            }
            boolean regsync = root.propertyNames().stream().anyMatch(REGSYNC_KEYS::contains);
            if (regsync) {
                // read from a parser left open: Jackson reports the location of an unknown field only then
                try (JsonParser parser = mapper.createParser(bytes)) {
                    try {
                        return mapper.readValue(parser, RegsyncFile.class).config();
                    } catch (JacksonException e) {
                        throw new ConfigException(describe(name, e, parser.currentLocation()), e);
                    }
                }
            }
            Map<String, SkopeoFile.RegistryEntry> skopeo;
            try (JsonParser parser = mapper.createParser(bytes)) {
                try {
                    skopeo = mapper.readValue(parser, new TypeReference<>() { });
                } catch (JacksonException e) {
                    throw new ConfigException(describe(name, e, parser.currentLocation()), e);
                }
            }
            return SkopeoFile.config(skopeo, destination);
        } catch (JacksonException e) {
            throw new ConfigException(describe(name, e, null), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": " + Printable.of(e.getMessage()), e);
        }
    }

    /** {@code FILE:LINE:COLUMN: FIELD: what is wrong}, from Jackson's location and path. */
    static String describe(String name, JacksonException e, TokenStreamLocation where) {
        StringBuilder out = new StringBuilder(name);
        // Jackson leaves out the location of some errors (an unknown field of a record); the
        // parser's position is then where it stopped, on that field
        TokenStreamLocation at = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation() : where;
        if (at != null && at.getLineNr() > 0) {
            out.append(':').append(at.getLineNr()).append(':').append(at.getColumnNr());
        }
        String field = path(e.getPath());
        if (!field.isEmpty()) {
            out.append(": ").append(field);
        }
        Throwable cause = e.getCause();
        String what = cause instanceof IllegalArgumentException
                ? cause.getMessage() : e.getOriginalMessage();
        // Jackson's own messages name Java types; the first line says enough
        int newline = what == null ? -1 : what.indexOf('\n');
        return out.append(": ").append(Printable.of(newline < 0 ? what : what.substring(0, newline))).toString();
    }

    private static String path(List<JacksonException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(Printable.of(ref.getPropertyName()));
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
