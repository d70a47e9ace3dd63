package dev.ferry;

import dev.ferry.layout.LayoutArchive;
import dev.ferry.layout.OciLayout;
import dev.ferry.location.ArchiveWork;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryClients;
import dev.ferry.transfer.ImageDestination;
import dev.ferry.transfer.ImageSource;
import dev.ferry.transfer.LayoutDestination;
import dev.ferry.transfer.LayoutSource;
import dev.ferry.transfer.RegistryDestination;
import dev.ferry.transfer.RegistrySource;
import dev.ferry.dockerarchive.ArchiveImage;
import dev.ferry.dockerarchive.DockerArchives;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Opens the two ends of a transfer from their locations: a registry repository, a layout, or an
 * archive (unpacked into, or written into and packed from, a work directory beside it).
 */
final class Ends {

    private Ends() {
    }

    /** A source to read, and the tag or digest that names the image in it. */
    record Source(ImageSource source, String reference) {
    }

    static Source source(ImageLocation location, RegistryClients clients, ArchiveWork work) throws IOException {
        return source(location, clients, work, new Streams(System.in, System.out, System.err));
    }

    /** Standard input and output ({@code docker-archive:-}) and where a docker-archive's oddities are reported. */
    record Streams(java.io.InputStream in, PrintStream out, PrintStream warnings) {
    }

    static Source source(ImageLocation location, RegistryClients clients, ArchiveWork work, Streams streams)
            throws IOException {
        return switch (location) {
            case ImageLocation.Docker docker -> new Source(new RegistrySource(clients.client(docker.ref().repository(),
                    docker.access())), docker.ref().manifestReference());
            case ImageLocation.Oci oci -> layout(oci.dir(), oci.name(), location.displayName());
            case ImageLocation.OciArchive archive -> layout(work.unpack(archive.file(), Long.MAX_VALUE), archive.name(),
                    location.displayName());
            case ImageLocation.DockerArchive archive -> {
                DockerArchives opened = DockerArchives.open(archive.file(), work.forDockerArchive(archive.file()),
                        location.displayName(), streams.in(), streams.warnings());
                ArchiveImage image = opened.select(archive.name(), archive.index());
                yield new Source(LayoutSource.open(opened.layoutDir(), location.displayName()),
                        image.manifest().digest().toString());
            }
        };
    }

    private static Source layout(Path dir, String name, String displayName) throws IOException {
        LayoutSource layout = LayoutSource.open(dir, displayName);
        return new Source(layout, layout.resolve(name));
    }

    /** @param from the source, whose registry reference names the image in a layout's index.json */
    static ImageDestination destination(ImageLocation location, ImageLocation from, RegistryClients clients,
            long uploadChunkSize, ArchiveWork work) throws IOException {
        return destination(location, from, clients, uploadChunkSize, work, System.out);
    }

    static ImageDestination destination(ImageLocation location, ImageLocation from, RegistryClients clients,
            long uploadChunkSize, ArchiveWork work, PrintStream stdout) throws IOException {
        String imageName = from instanceof ImageLocation.Docker d ? d.ref().toString()
                : from instanceof ImageLocation.DockerArchive a ? a.name() : null;
        return switch (location) {
            case ImageLocation.Docker docker -> {
                ImageReference target = docker.ref();
                Repository mountFrom = from instanceof ImageLocation.Docker source
                        && source.ref().registry().equals(target.registry())
                        && !source.ref().repository().equals(target.repository()) ? source.ref().repository() : null;
                yield new RegistryDestination(clients.pushClient(target.repository(), docker.access(), mountFrom,
                        uploadChunkSize), target, mountFrom);
            }
            case ImageLocation.Oci oci -> new LayoutDestination(OciLayout.open(oci.dir()), oci.name(), imageName,
                    location.displayName());
            case ImageLocation.OciArchive archive -> {
                Path dir = work.forWriting(archive.file());
                yield new LayoutDestination(OciLayout.open(dir), archive.name(), imageName, location.displayName()) {
                    @Override
                    public void commit(dev.ferry.manifest.Manifest root) throws IOException {
                        super.commit(root);
                        LayoutArchive.pack(dir, archive.file());
                    }
                };
            }
            case ImageLocation.DockerArchive archive -> DockerArchiveDestination.create(archive, from,
                    work.forDockerArchive(archive.file()), stdout);
        };
    }
}
