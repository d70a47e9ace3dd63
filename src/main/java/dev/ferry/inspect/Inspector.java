package dev.ferry.inspect;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageIndex;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.Platform;
import dev.ferry.manifest.PlatformSelector;
import dev.ferry.registry.RegistryException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Reads an image's manifest and config from a registry or a layout and describes it, pulling no layer. */
public final class Inspector {

    /** Configs are small; anything larger than this is not a config ferry will hold in memory. */
    public static final int MAX_CONFIG_BYTES = 64 * 1024 * 1024;

    private final InspectedSource source;
    private final PrintStream warnings;

    public Inspector(InspectedSource source, PrintStream warnings) {
        this.source = source;
        this.warnings = warnings;
    }

    /** The manifest a tag, name or digest points at, as stored: an index for a multi-platform tag. */
    public Manifest top(String reference) throws IOException {
        return source.manifest(reference);
    }

    /**
     * The platform's image manifest: the top manifest itself, or the index entry for the platform.
     *
     * @param subject names the image in messages
     */
    public ImageManifest image(String subject, Manifest top, Platform platform) throws IOException {
        return switch (top) {
            case ImageManifest image -> image;
            case ImageIndex index -> {
                Descriptor chosen = PlatformSelector.select(subject, index, platform);
                Manifest child = source.manifest(chosen);
                if (!(child instanceof ImageManifest image)) {
                    throw ManifestException.invalid(subject + "@" + chosen.digest(),
                            "the index entry for " + platform + " is itself an index, not an image manifest", null);
                }
                yield image;
            }
        };
    }

    /** The config blob's bytes exactly as stored, verified against the manifest's config digest. */
    public byte[] configBytes(ImageManifest image) throws IOException {
        return source.blobBytes(image.config(), MAX_CONFIG_BYTES);
    }

    /**
     * @param subject names the image in messages
     * @param reference the tag, name or digest of the image in the source
     */
    public Inspection inspect(String subject, String reference, Platform platform, boolean listTags) throws IOException {
        Manifest top = top(reference);
        // The tag list and the other platforms' manifests need nothing from the chosen image: they
        // are fetched while its config is, round trips saved on a distant registry. Started after
        // the top manifest, whose request has fetched the token they all need.
        try (ExecutorService background = Executors.newFixedThreadPool(2,
                Thread.ofPlatform().daemon().name("ferry-inspect-bg-", 0).factory())) {
            Future<List<String>> tags = listTags ? background.submit(this::tags) : null;
            Future<List<PlatformEntry>> platforms = top instanceof ImageIndex index
                    ? background.submit(() -> platforms(index)) : null;
            try {
                ImageManifest image = image(subject, top, platform);
                byte[] configBytes = configBytes(image);
                ImageConfig config = ImageConfig.parse("config " + image.config().digest(), configBytes);
                return describe(source.name(), top, image, config, tags == null ? List.of() : join(tags),
                        platforms == null ? null : join(platforms));
            } catch (IOException | RuntimeException e) {
                // The failure is the answer: do not wait for the rest.
                if (tags != null) {
                    tags.cancel(true);
                }
                if (platforms != null) {
                    platforms.cancel(true);
                }
                throw e;
            }
        }
    }

    private static <T> T join(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }

    private List<String> tags() throws IOException {
        try {
            return source.tags();
        } catch (RegistryException e) {
            // Some registries refuse tag listing to users who may pull; skopeo stops here, we warn.
            if (e.kind() == RegistryException.Kind.UNAUTHORIZED || e.kind() == RegistryException.Kind.NOT_FOUND) {
                warnings.println("warning: cannot list the tags of " + source.name() + " (" + e.getMessage()
                        + "); RepoTags is empty (use --no-tags to skip listing)");
                return List.of();
            }
            throw e;
        }
    }

    private record PlatformEntry(Descriptor descriptor, Digest imageId) {
    }

    /** Every platform of the index with its image ID, the child manifests fetched in parallel. */
    private List<PlatformEntry> platforms(ImageIndex index) throws IOException {
        // Platform threads: virtual-thread sockets park in native pollers, which delay JVM exit.
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.clamp(index.manifests().size(), 1, 8),
                Thread.ofPlatform().daemon().name("ferry-inspect-", 0).factory())) {
            List<Future<Digest>> configs = new ArrayList<>();
            for (Descriptor d : index.manifests()) {
                configs.add(pool.submit(() -> source.manifest(d) instanceof ImageManifest m
                        ? m.config().digest() : null));
            }
            List<PlatformEntry> result = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                result.add(new PlatformEntry(index.manifests().get(i), join(configs.get(i))));
            }
            return result;
        }
    }


    private static Inspection describe(String name, Manifest top, ImageManifest image, ImageConfig config,
            List<String> tags, List<PlatformEntry> platforms) {
        List<Digest> diffIds = config.diffIds();
        List<Inspection.LayerData> layers = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor layer = image.layers().get(i);
            layers.add(new Inspection.LayerData(layer.mediaType(), layer.digest(), layer.size(),
                    layer.annotations(), i < diffIds.size() ? diffIds.get(i) : null));
        }
        ImageConfig.Container run = config.config();
        return new Inspection(
                name,
                top.digest(),
                tags,
                GoTime.format(config.created()),
                config.dockerVersion() == null ? "" : config.dockerVersion(),
                run == null || run.labels() == null || run.labels().isEmpty() ? null : run.labels(),
                nullToEmpty(config.architecture()),
                config.variant(),
                nullToEmpty(config.os()),
                image.layers().stream().map(Descriptor::digest).toList(),
                layers,
                run == null || run.env() == null || run.env().isEmpty() ? null : run.env(),
                image.config().digest(),
                image.mediaType().value(),
                history(config, image),
                platforms == null ? null : platforms.stream().map(Inspector::platformEntry).toList());
    }

    private static Inspection.PlatformEntry platformEntry(PlatformEntry p) {
        Platform platform = p.descriptor().platform();
        return new Inspection.PlatformEntry(
                platform == null ? null : platform.os(),
                platform == null ? null : platform.architecture(),
                platform == null ? null : platform.variant(),
                p.descriptor().digest(), p.descriptor().mediaType(), p.imageId());
    }

    /** Maps history onto layers: the n-th entry that is not an empty layer made the n-th layer. */
    static List<Inspection.HistoryEntry> history(ImageConfig config, ImageManifest image) {
        List<Inspection.HistoryEntry> result = new ArrayList<>();
        int next = 0;
        for (ImageConfig.History h : config.history()) {
            Integer index = null;
            Digest layer = null;
            if (!h.emptyLayer() && next < image.layers().size()) {
                index = next;
                layer = image.layers().get(next).digest();
            }
            if (!h.emptyLayer()) {
                next++;
            }
            result.add(new Inspection.HistoryEntry(GoTime.format(h.created()), h.createdBy(), h.author(),
                    h.comment(), h.emptyLayer(), index, layer));
        }
        return result;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
