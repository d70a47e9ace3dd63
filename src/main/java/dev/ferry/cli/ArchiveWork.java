package dev.ferry.cli;

import dev.ferry.cli.Transports.ArchiveLocation;
import dev.ferry.cli.Transports.Location;
import dev.ferry.cli.Transports.OciLocation;
import dev.ferry.dockerarchive.DockerArchives;
import java.io.IOException;

/**
 * {@code oci-archive:} arguments of inspect as OCI layouts in work directories beside the archives
 * (see {@link dev.ferry.location.ArchiveWork}, which copy and verify use through the library).
 */
final class ArchiveWork implements AutoCloseable {

    private final dev.ferry.location.ArchiveWork work = new dev.ferry.location.ArchiveWork();

    /**
     * The layout to read manifests and configs from: the archive's, unpacked without the blobs
     * larger than {@code maxBlobBytes} (inspect needs no layer); other locations as they are.
     */
    Location readable(Location location, long maxBlobBytes, java.io.InputStream stdin, java.io.PrintStream warnings)
            throws IOException {
        if (location instanceof Transports.DockerArchiveLocation(var archive)) {
            // A docker-archive's layers are checked against their diff_ids as it is read, all of them.
            DockerArchives opened = DockerArchives.open(archive.file(), work.forDockerArchive(archive.file()),
                    archive.displayName(), stdin, warnings);
            return new OciLocation(opened.layoutDir(), opened.select(archive.name(), archive.index()).manifest()
                    .digest().toString());
        }
        return readable(location, maxBlobBytes);
    }

    Location readable(Location location, long maxBlobBytes) throws IOException {
        if (!(location instanceof ArchiveLocation archive)) {
            return location;
        }
        return new OciLocation(work.unpack(archive.file(), maxBlobBytes), archive.tag());
    }

    /** A message or summary with each work directory named as the archive it stands for. */
    String describe(String text) {
        return dev.ferry.location.ArchiveWork.describe(text);
    }

    @Override
    public void close() {
        work.close();
    }
}
