package dev.ferry.inspect;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageIndex;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.Platform;
import dev.ferry.manifest.PlatformSelector;
import dev.ferry.registry.RegistryException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads an image's manifest and config from a registry or a layout and describes it, pulling no layer. */
public final class Inspector {

    /** Configs are small; anything larger than this is not a config ferry will hold in memory. */
    public static final int MAX_CONFIG_BYTES = 64 * 1024 * 1024;
    /** How many of an index's manifests are fetched at once (the tag list has a thread of its own). */
    public static final int PARALLEL_FETCHES = 4;

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
        return image(subject, top, platform, source::manifest);
    }

    private interface ChildFetch {
        Manifest fetch(Descriptor child) throws IOException;
    }

    private static ImageManifest image(String subject, Manifest top, Platform platform, ChildFetch fetch)
            throws IOException {
        return switch (top) {
            case ImageManifest image -> image;
            case ImageIndex index -> {
                Descriptor chosen = PlatformSelector.select(subject, index, platform);
                // The entry did not say it is an index, but it is one: refused as the selector refuses
                // an entry that says so, since an index of indexes is not followed.
                if (!(fetch.fetch(chosen) instanceof ImageManifest image)) {
                    throw PlatformSelector.nested(subject, platform.normalized(), chosen);
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
        // the top manifest, whose request has fetched the token they all need. Each distinct
        // manifest is asked for once, and the first failure stops the rest.
        if (top instanceof ImageIndex index) {
            // An index without the platform is refused before anything more is asked for.
            PlatformSelector.select(subject, index, platform);
        }
        try (Fetches fetches = new Fetches(source, PARALLEL_FETCHES + 1)) {
            CompletableFuture<List<String>> tags = listTags ? fetches.submit(this::tags) : null;
            if (top instanceof ImageIndex index) {
                index.manifests().forEach(fetches::prefetch);
            }
            ImageManifest image = image(subject, top, platform, fetches::manifest);
            byte[] configBytes = fetches.call(() -> configOf(subject, image));
            ImageConfig config = ImageConfig.parse("config " + image.config().digest() + " of " + subject, configBytes);
            List<PlatformEntry> platforms = null;
            if (top instanceof ImageIndex index) {
                platforms = new ArrayList<>();
                for (Descriptor d : index.manifests()) {
                    platforms.add(new PlatformEntry(d, fetches.manifest(d) instanceof ImageManifest m
                            ? m.config().digest() : null));
                }
            }
            return describe(source.name(), top, image, config, tags == null ? List.of() : fetches.join(tags), platforms);
        }
    }

    /** The config's bytes; a failed check names the image as well as the blob. */
    private byte[] configOf(String subject, ImageManifest image) throws IOException {
        try {
            return configBytes(image);
        } catch (VerificationException e) {
            throw new VerificationException(subject, "config " + e.getMessage());
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
