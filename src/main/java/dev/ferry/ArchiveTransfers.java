package dev.ferry;

import dev.ferry.dockerarchive.ArchiveImage;
import dev.ferry.dockerarchive.DockerArchives;
import dev.ferry.dockerarchive.SavedImage;
import dev.ferry.layout.OciLayout;
import dev.ferry.location.ArchiveWork;
import dev.ferry.location.ImageLocation;
import dev.ferry.location.LocationFormatException;
import dev.ferry.registry.RegistryClients;
import dev.ferry.transfer.ImageDestination;
import dev.ferry.transfer.LayoutSource;
import dev.ferry.transfer.Transfer;
import dev.ferry.transfer.TransferListener;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.transfer.TransferResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code save} and {@code load}: many images into one docker-archive, and every image of one out,
 * each through the one transfer engine.
 */
final class ArchiveTransfers {

    private ArchiveTransfers() {
    }

    /** Every image into one archive: blobs shared are stored once, an image saved twice has both names. */
    static List<TransferResult> save(List<ImageLocation> images, Path output, boolean uncompressedLayers,
            TransferOptions options, TransferListener listener, RegistryClients clients, Ends.Streams streams)
            throws IOException {
        if (options.all()) {
            throw new LocationFormatException("a docker-archive holds single-platform images; leave out --all");
        }
        try (ArchiveWork work = new ArchiveWork()) {
            Path workDir = work.forDockerArchive(output);
            OciLayout layout = OciLayout.open(workDir);
            List<SavedImage> saved = new ArrayList<>();
            List<TransferResult> results = new ArrayList<>();
            String name = "docker-archive:" + output;
            for (ImageLocation image : images) {
                Ends.Source source = Ends.source(image, clients, work, streams);
                List<String> tags = image instanceof ImageLocation.DockerArchive archive && archive.name() != null
                        ? List.of(archive.name()) : DockerArchiveDestination.repoTags(null, image);
                ImageDestination destination = DockerArchiveDestination.forSave(layout, tags, saved, name);
                results.add(new Transfer(source.source(), destination, listener).run(image.displayName(),
                        source.reference(), null, options));
            }
            DockerArchiveDestination.write(layout, merged(saved), output, streams.out(),
                    uncompressedLayers ? DockerArchiveDestination.scratch(workDir) : null);
            return results;
        }
    }

    /** One entry per image: the names of an image saved more than once are joined. */
    private static List<SavedImage> merged(List<SavedImage> saved) {
        Map<String, SavedImage> byDigest = new LinkedHashMap<>();
        Map<String, Set<String>> tags = new LinkedHashMap<>();
        for (SavedImage image : saved) {
            String key = image.manifest().digest().toString();
            byDigest.putIfAbsent(key, image);
            tags.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(image.repoTags());
        }
        return byDigest.entrySet().stream()
                .map(e -> new SavedImage(e.getValue().manifest(), List.copyOf(tags.get(e.getKey())))).toList();
    }

    /**
     * Every image of an archive to the location {@code destinationFor} gives for each of its
     * RepoTags; an image without any is named {@code name}, or refused before anything is copied.
     */
    static List<TransferResult> load(Path archive, Function<String, ImageLocation> destinationFor, String name,
            TransferOptions options, TransferListener listener, RegistryClients clients, long uploadChunkSize,
            Ends.Streams streams) throws IOException {
        try (ArchiveWork work = new ArchiveWork()) {
            String shown = "docker-archive:" + archive;
            DockerArchives opened = DockerArchives.open(archive, work.forDockerArchive(archive), shown, streams.in(),
                    streams.warnings());
            List<List<String>> names = new ArrayList<>();
            for (int i = 0; i < opened.images().size(); i++) {
                List<String> tags = opened.images().get(i).repoTags();
                if (tags.isEmpty() && name == null) {
                    throw new LocationFormatException("image @" + i + " of " + shown
                            + " has no RepoTags: name it with --name NAME:TAG");
                }
                names.add(tags.isEmpty() ? List.of(name) : tags);
            }
            LayoutSource source = LayoutSource.open(opened.layoutDir(), shown);
            List<TransferResult> results = new ArrayList<>();
            for (int i = 0; i < opened.images().size(); i++) {
                ArchiveImage image = opened.images().get(i);
                for (String tag : names.get(i)) {
                    ImageLocation from = new ImageLocation.DockerArchive(archive, tag, -1);
                    ImageDestination destination = Ends.destination(destinationFor.apply(tag), from, clients,
                            uploadChunkSize, work, streams.out());
                    results.add(new Transfer(source, destination, listener).run(shown + ":" + tag,
                            image.manifest().digest().toString(), null, options));
                }
            }
            return results;
        }
    }
}
