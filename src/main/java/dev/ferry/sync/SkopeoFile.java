package dev.ferry.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.auth.Credentials;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * skopeo sync's {@code --src yaml} file: registries by name, each with {@code images} (repository
 * to tags or digests; an empty list for every tag), {@code images-by-tag-regex}, {@code credentials}
 * and {@code tls-verify}. The destination comes from the command line, as with skopeo: each
 * repository goes below it under the last part of its path ({@code org/app} to {@code DEST/app}).
 */
final class SkopeoFile {

    private SkopeoFile() {
    }

    record Creds(String username, String password) {
    }

    record RegistryEntry(Map<String, List<String>> images,
            @JsonProperty("images-by-tag-regex") Map<String, String> imagesByTagRegex,
            @JsonProperty("images-by-semver") Map<String, String> imagesBySemver,
            Creds credentials, @JsonProperty("tls-verify") Boolean tlsVerify, @JsonProperty("cert-dir") String certDir) {
        RegistryEntry {
            images = images == null ? Map.of() : images;
            imagesByTagRegex = imagesByTagRegex == null ? Map.of() : imagesByTagRegex;
            if (imagesBySemver != null) {
                throw new IllegalArgumentException("images-by-semver is not supported: use images-by-tag-regex");
            }
            if (certDir != null) {
                throw new IllegalArgumentException("cert-dir is not supported: put the certificates in certs.d");
            }
            for (Map.Entry<String, String> e : imagesByTagRegex.entrySet()) {
                try {
                    Pattern.compile(e.getValue());
                } catch (PatternSyntaxException x) {
                    throw new IllegalArgumentException("images-by-tag-regex." + Printable.of(e.getKey())
                            + " is not a valid regular expression: " + Printable.of(x.getDescription()));
                }
            }
        }
    }

    /**
     * @param destination {@code host[:port][/prefix]} or {@code oci:DIR}, as skopeo sync's destination argument
     */
    static SyncConfig config(Map<String, RegistryEntry> file, String destination) {
        if (destination == null) {
            throw new ConfigException("a skopeo sync file needs a destination: ferry sync --dest HOST[/PREFIX] FILE");
        }
        Map<String, Credentials> credentials = new LinkedHashMap<>();
        List<String> insecure = new ArrayList<>();
        List<SyncRule> rules = new ArrayList<>();
        for (Map.Entry<String, RegistryEntry> r : file.entrySet()) {
            String registry = new Registry(r.getKey()).name();
            RegistryEntry entry = r.getValue();
            if (entry.credentials() != null && entry.credentials().username() != null) {
                credentials.put(registry, new Credentials(entry.credentials().username(), entry.credentials().password()));
            }
            if (Boolean.FALSE.equals(entry.tlsVerify())) {
                insecure.add(registry);
            }
            for (Map.Entry<String, List<String>> image : entry.images().entrySet()) {
                List<String> tags = image.getValue() == null || image.getValue().isEmpty() ? null : image.getValue();
                rules.add(rule(registry, image.getKey(), tags, List.of(), destination));
            }
            for (Map.Entry<String, String> image : entry.imagesByTagRegex().entrySet()) {
                rules.add(rule(registry, image.getKey(), null, List.of(Pattern.compile(image.getValue())), destination));
            }
        }
        if (rules.isEmpty()) {
            throw new ConfigException("the file names no images");
        }
        return new SyncConfig(SyncSettings.defaults(), credentials, insecure, rules);
    }

    private static SyncRule rule(String registry, String path, List<String> tags, List<Pattern> allow,
            String destination) {
        Repository source = ImageReference.parseRepository(registry + "/" + path);
        Target target = destination.startsWith("oci:") ? new Target.Layout(Path.of(destination.substring(4)), false)
                : new Target.RegistryRepo(ImageReference.parseRepository(destination + "/"
                        + source.path().substring(source.path().lastIndexOf('/') + 1)), null);
        if (tags != null) {
            for (String tag : tags) {
                if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[0-9a-f]{64}")) {
                    throw new ConfigException(Printable.of(registry + "/" + path) + ": '" + Printable.of(tag)
                            + "' is neither a tag nor a sha256 digest");
                }
            }
        }
        return new SyncRule(source, tags, allow, List.of(), target, null);
    }
}
