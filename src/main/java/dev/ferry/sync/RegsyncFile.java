package dev.ferry.sync;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;
import dev.ferry.auth.Credentials;
import dev.ferry.manifest.Platform;
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
 * regsync's configuration, as far as ferry runs it. Each record checks its fields as Jackson
 * builds it, so an error carries the line and the field path. Fields regsync has and ferry does
 * not run (backup, schedule, mediaTypes...) are refused, not silently ignored.
 */
record RegsyncFile(Integer version, List<Cred> creds, Defaults defaults, List<Entry> sync) {

    RegsyncFile {
        if (version != null && version != 1) {
            throw new IllegalArgumentException("version must be 1");
        }
        if (sync == null || sync.isEmpty()) {
            throw new IllegalArgumentException("sync lists no entries");
        }
        creds = creds == null ? List.of() : creds;
        defaults = defaults == null ? new Defaults(null, null, null, null, null, null, null) : defaults;
    }

    /** @param tls {@code enabled} (default), {@code insecure} (any certificate) or {@code disabled} (plain HTTP) */
    record Cred(String registry, String user, String pass, String tls,
            @JacksonInject(value = "env", useInput = OptBoolean.FALSE) Map<String, String> env) {
        Cred {
            if (registry == null || registry.isBlank()) {
                throw new IllegalArgumentException("registry is required");
            }
            new Registry(registry); // checks the name
            if (tls != null && !List.of("enabled", "insecure", "disabled").contains(tls)) {
                throw new IllegalArgumentException("tls must be enabled, insecure or disabled");
            }
            user = Secrets.expand(user, env);
            pass = Secrets.expand(pass, env);
            if ((user == null) != (pass == null)) {
                throw new IllegalArgumentException("user and pass go together");
            }
        }

        Credentials credentials() {
            return user == null ? null : new Credentials(user, pass);
        }
    }

    record RateLimit(Integer min, String retry) {
    }

    record Defaults(Integer parallel, String interval, RateLimit ratelimit, Double requestsPerSecond,
            Integer concurrency, String platform, List<String> platforms) {

        SyncSettings settings() {
            RateLimit limit = ratelimit == null ? new RateLimit(null, null) : ratelimit;
            return new SyncSettings(parallel == null ? SyncSettings.DEFAULT_PARALLEL : parallel,
                    interval == null ? null : GoDuration.parse(interval), limit.min() == null ? 0 : limit.min(),
                    limit.retry() == null ? SyncSettings.DEFAULT_FLOOR_WAIT : GoDuration.parse(limit.retry()),
                    requestsPerSecond == null ? 0 : requestsPerSecond,
                    concurrency == null ? SyncSettings.DEFAULT_CONCURRENCY : concurrency);
        }

        Defaults {
            settings(); // checks the values where they are written
            Platforms.one(platform, platforms);
            Platforms.list(platform, platforms);
        }
    }

    record Tags(List<String> allow, List<String> deny) {
        Tags {
            allow = compileCheck(allow);
            deny = compileCheck(deny);
        }

        private static List<String> compileCheck(List<String> patterns) {
            List<String> checked = patterns == null ? List.of() : List.copyOf(patterns);
            for (int i = 0; i < checked.size(); i++) {
                try {
                    Pattern.compile(checked.get(i));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("[" + i + "] is not a valid regular expression: "
                            + Printable.of(e.getDescription()));
                }
            }
            return checked;
        }

        static List<Pattern> compile(List<String> patterns) {
            return patterns.stream().map(Pattern::compile).toList();
        }
    }

    /**
     * @param source {@code host[:port]/repo[:tag]} as regsync writes it (Docker Hub names as docker does)
     * @param target the same, or {@code oci:DIR} for a layout
     * @param type {@code image} (one tag, the default) or {@code repository} (every listed tag)
     */
    record Entry(String source, String target, String type, Tags tags, String platform, List<String> platforms,
            Boolean prune) {
        Entry {
            if (source == null || target == null) {
                throw new IllegalArgumentException("source and target are required");
            }
            type = type == null ? "image" : type;
            if (!type.equals("image") && !type.equals("repository")) {
                throw new IllegalArgumentException("type must be image or repository");
            }
            if (type.equals("image") && tags != null) {
                throw new IllegalArgumentException("tags filter a repository: write type: repository");
            }
            if (prune != null && prune && !target.startsWith("oci:")) {
                throw new IllegalArgumentException("prune applies to an oci:DIR target only");
            }
            rule(null, source, target, type, tags, platform, platforms, prune); // checks the references
        }
    }

    SyncConfig config() {
        Map<String, Credentials> credentials = new LinkedHashMap<>();
        List<String> insecure = new ArrayList<>();
        for (Cred cred : creds) {
            if (cred.credentials() != null) {
                credentials.put(cred.registry(), cred.credentials());
            }
            if (cred.tls() != null && !cred.tls().equals("enabled")) {
                insecure.add(cred.registry());
            }
        }
        return new SyncConfig(defaults.settings(), credentials, insecure,
                sync.stream().map(e -> rule(defaults, e.source(), e.target(), e.type(), e.tags(), e.platform(), e.platforms(),
                        e.prune())).toList());
    }

    /** @param defaults the file's defaults, or null while an entry is checked on its own */
    static SyncRule rule(Defaults defaults, String sourceText, String targetText, String type, Tags filter,
            String platformText, List<String> platformsText, Boolean prune) {
        Platform platform = Platforms.one(platformText, platformsText);
        List<Platform> platforms = Platforms.list(platformText, platformsText);
        if (platformText == null && platformsText == null && defaults != null) {
            platform = Platforms.one(defaults.platform(), defaults.platforms());
            platforms = Platforms.list(defaults.platform(), defaults.platforms());
        }
        Tags tags = filter == null ? new Tags(null, null) : filter;
        boolean image = type.equals("image");
        Repository source;
        List<String> named = null;
        if (image) {
            ImageReference ref = ImageReference.parse(sourceText);
            source = ref.repository();
            named = List.of(ref.manifestReference());
        } else {
            source = ImageReference.parseRepository(sourceText);
        }
        Target target;
        if (targetText.startsWith("oci:")) {
            String dir = targetText.substring("oci:".length());
            if (dir.isEmpty()) {
                throw new IllegalArgumentException("target oci: names no directory");
            }
            target = new Target.Layout(Path.of(dir), Boolean.TRUE.equals(prune));
        } else if (image) {
            ImageReference ref = ImageReference.parse(targetText);
            if (ref.digest() != null) {
                throw new IllegalArgumentException("the target names a digest: write a tag or none");
            }
            boolean tagWritten = targetText.substring(targetText.lastIndexOf('/') + 1).contains(":");
            target = new Target.RegistryRepo(ref.repository(), tagWritten ? ref.tag() : null);
        } else {
            target = new Target.RegistryRepo(ImageReference.parseRepository(targetText), null);
        }
        return new SyncRule(source, named, Tags.compile(tags.allow()), Tags.compile(tags.deny()), target, platform,
                platforms);
    }

}
