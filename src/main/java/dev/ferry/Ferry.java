package dev.ferry;

import dev.ferry.digest.Digest;
import dev.ferry.http.HttpClients;
import dev.ferry.http.Retrier;
import dev.ferry.http.TransferLimits;
import dev.ferry.inspect.Inspection;
import dev.ferry.inspect.Inspector;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.Platform;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.registry.RegistryClient;
import dev.ferry.registry.RegistryClients;
import dev.ferry.transfer.CheckingDestination;
import dev.ferry.transfer.ImageDestination;
import dev.ferry.transfer.Transfer;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.location.ArchiveWork;
import dev.ferry.location.ImageLocation;
import dev.ferry.digest.VerificationException;
import dev.ferry.transfer.LayoutSource;
import dev.ferry.transfer.TransferListener;
import dev.ferry.transfer.TransferResult;
import dev.ferry.transfer.Unpacking;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * ferry as a library: every verb of the command line is one method here. One instance shares one
 * HTTP connection pool and one token cache; close it when done.
 */
public final class Ferry implements AutoCloseable {

    private final RegistryClients clients;
    private final PrintStream warnings;
    private final long uploadChunkSize;
    private volatile Ends.Streams streams = new Ends.Streams(System.in, System.out, null);

    private Ferry(FerryOptions options) {
        TransferLimits limits = options.limits() != null ? options.limits()
                : TransferLimits.defaults(options.connectTimeout(), options.readTimeout());
        this.clients = new RegistryClients(HttpClients.create(options.debugLog(), options.connectTimeout(),
                options.readTimeout(), limits), new Retrier(options.retry(), options.debugLog()), limits);
        this.warnings = options.warnings();
        this.uploadChunkSize = options.uploadChunkSize();
    }

    /**
     * Where {@code docker-archive:-} reads and writes (standard input and output unless set).
     *
     * @return this
     */
    public Ferry withStandardStreams(java.io.InputStream in, PrintStream out) {
        streams = new Ends.Streams(in, out, warnings);
        return this;
    }

    private Ends.Streams streams() {
        Ends.Streams s = streams;
        return new Ends.Streams(s.in(), s.out(), warnings);
    }

    /** How many registry requests were retried so far (throttling, failed connections). */
    public long retries() {
        return clients.retries();
    }

    public static Ferry create(FerryOptions options) {
        return new Ferry(options);
    }

    /** Which gzip inflater pulls use on this machine (ISA-L when libisal2 is installed). */
    public static String gzipInflater() {
        return dev.ferry.compress.Compression.gzipImplementation();
    }

    public static Ferry create() {
        return create(FerryOptions.defaults());
    }

    /** Describes an image without pulling its layers, as {@code skopeo inspect} does, and more. */
    public Inspection inspect(ImageReference ref, RegistryAccess access, Platform platform, boolean listTags)
            throws IOException {
        return Inspected.inspector(clients.client(ref.repository(), access), warnings).inspect(ref.toString(), ref.manifestReference(), platform, listTags);
    }

    /**
     * Describes an image of an OCI layout, as {@code skopeo inspect oci:DIR[:NAME]} does.
     *
     * @param refName the image's {@code org.opencontainers.image.ref.name}, or null for the layout's only image
     */
    public Inspection inspect(Path layoutDir, String refName, Platform platform) throws IOException {
        LayoutSource layout = LayoutSource.open(layoutDir);
        return Inspected.inspector(layout, warnings).inspect(layoutName(layoutDir, refName), layout.resolve(refName), platform, false);
    }

    /** The manifest the reference points at, byte for byte as the registry serves it. */
    public byte[] rawManifest(ImageReference ref, RegistryAccess access) throws IOException {
        return Inspected.inspector(clients.client(ref.repository(), access), warnings).top(ref.manifestReference()).raw();
    }

    /** The manifest a layout's image name points at, byte for byte as stored. */
    public byte[] rawManifest(Path layoutDir, String refName) throws IOException {
        LayoutSource layout = LayoutSource.open(layoutDir);
        return Inspected.inspector(layout, warnings).top(layout.resolve(refName)).raw();
    }

    /** The platform's config blob, byte for byte as stored, verified against its digest. */
    public byte[] rawConfig(ImageReference ref, RegistryAccess access, Platform platform) throws IOException {
        return rawConfig(Inspected.inspector(clients.client(ref.repository(), access), warnings), ref.toString(), ref.manifestReference(), platform);
    }

    /** The platform's config blob of a layout's image, byte for byte as stored, verified against its digest. */
    public byte[] rawConfig(Path layoutDir, String refName, Platform platform) throws IOException {
        LayoutSource layout = LayoutSource.open(layoutDir);
        return rawConfig(Inspected.inspector(layout, warnings), layoutName(layoutDir, refName), layout.resolve(refName), platform);
    }

    private static byte[] rawConfig(Inspector inspector, String subject, String reference, Platform platform)
            throws IOException {
        Manifest top = inspector.top(reference);
        return inspector.configBytes(inspector.image(subject, top, platform));
    }

    /**
     * Copies an image from one location to another: the one transfer of ferry, which {@code pull}
     * (into a layout) and {@code copy} both run. Blobs the destination has are left alone, blobs of
     * another repository of the same registry are mounted, the rest stream from source to
     * destination, each verified at the destination's door; the manifests are put as their exact
     * bytes, so the destination's digest is the source's. A destination named by digest must be
     * that digest.
     */
    public TransferResult copy(ImageLocation from, ImageLocation to, TransferOptions options,
            TransferListener listener) throws IOException {
        if (to instanceof ImageLocation.DockerArchive && options.all()) {
            throw new dev.ferry.location.LocationFormatException(to.displayName()
                    + ": a docker-archive holds single-platform images; leave out --all");
        }
        try (ArchiveWork work = new ArchiveWork()) {
            // The source first: an archive that is refused leaves no destination layout behind.
            Ends.Source source = Ends.source(from, clients, work, streams());
            ImageDestination destination = Ends.destination(to, from, clients, uploadChunkSize, work, streams().out());
            Digest expected = to instanceof ImageLocation.Docker d ? d.ref().digest() : null;
            return new Transfer(source.source(), destination, listener).run(from.displayName(), source.reference(),
                    expected, options);
        }
    }

    /**
     * As {@link #copy}, with Docker schema2 manifests and lists converted to OCI media types on the
     * way (skopeo's {@code --format oci}), so that OCI-only readers take them: the manifests' digests
     * change, the blobs stay.
     *
     * @return the transfer, and the digest the source's own manifest has
     */
    public Converted copyAsOci(ImageLocation from, ImageLocation to, TransferOptions options, TransferListener listener)
            throws IOException {
        try (ArchiveWork work = new ArchiveWork()) {
            ImageDestination destination = Ends.destination(to, from, clients, uploadChunkSize, work, streams().out());
            Ends.Source source = Ends.source(from, clients, work, streams());
            dev.ferry.convert.OciConvertingSource converting = new dev.ferry.convert.OciConvertingSource(source.source());
            TransferResult result = new Transfer(converting, destination, listener).run(from.displayName(),
                    source.reference(), null, options);
            return new Converted(result, converting.originalRoot());
        }
    }

    /**
     * Reads an image where it is and checks every manifest, config and blob digest and size, every
     * layer's diff_id and the layer counts, keeping nothing: a registry's image streams and is
     * dropped, a layout's or archive's is read in place.
     *
     * @return the blobs that did not verify, in the order found (empty when the image is sound)
     * @throws dev.ferry.digest.VerificationException when a manifest or config does not verify
     */
    public Verification verify(ImageLocation location, TransferOptions options, TransferListener listener)
            throws IOException {
        try (ArchiveWork work = new ArchiveWork()) {
            Ends.Source source = Ends.source(location, clients, work, streams());
            CheckingDestination checking = new CheckingDestination();
            TransferResult result = new Transfer(source.source(), checking, listener).run(location.displayName(),
                    source.reference(), null, options);
            return new Verification(result, checking.failures());
        }
    }

    /**
     * Applies an image's layers, in order, to a root filesystem at {@code target} (which must not
     * exist or be empty), each verified on the way; see {@link Unpacking}.
     */
    public Unpacking.Result unpack(ImageLocation from, Platform platform, Path target,
            dev.ferry.unpack.UnpackOptions options, Unpacking.Layout layout) throws IOException {
        try (ArchiveWork work = new ArchiveWork()) {
            Ends.Source source = Ends.source(from, clients, work, streams());
            return Unpacking.run(source.source(), from.displayName(), source.reference(), platform, target, options,
                    layout);
        }
    }

    /**
     * Writes an image's flattened filesystem to {@code out} as one tar, as {@code crane export}
     * does: unpacked into a work directory under {@code workParent} first, which is removed after.
     */
    public Unpacking.Result export(ImageLocation from, Platform platform, dev.ferry.unpack.UnpackOptions options,
            Path workParent, OutputStream out) throws IOException {
        try (ArchiveWork work = new ArchiveWork()) {
            Ends.Source source = Ends.source(from, clients, work, streams());
            return Unpacking.export(source.source(), from.displayName(), source.reference(), platform, options,
                    workParent, out);
        }
    }

    /**
     * Saves images into one docker-archive ({@code -} for standard output), as {@code docker save}
     * does: blobs they share are stored once; each keeps its source's tag as its name.
     */
    public List<TransferResult> save(List<ImageLocation> images, Path output, TransferOptions options,
            TransferListener listener) throws IOException {
        return save(images, output, false, options, listener);
    }

    /** As {@link #save(List, Path, TransferOptions, TransferListener)}; layers as plain tars when asked. */
    public List<TransferResult> save(List<ImageLocation> images, Path output, boolean uncompressedLayers,
            TransferOptions options, TransferListener listener) throws IOException {
        return ArchiveTransfers.save(images, output, uncompressedLayers, options, listener, clients, streams());
    }

    /**
     * Copies every image of a docker-archive ({@code -} for standard input), as {@code docker load}
     * does, to the location {@code destinationFor} gives for each of its names (RepoTags).
     *
     * @param name the name of an image without RepoTags, or null to refuse such an image
     */
    public List<TransferResult> load(Path archive, java.util.function.Function<String, ImageLocation> destinationFor,
            String name, TransferOptions options, TransferListener listener) throws IOException {
        return ArchiveTransfers.load(archive, destinationFor, name, options, listener, clients, uploadChunkSize,
                streams());
    }

    /**
     * An image's history as {@code docker history} shows it, read where the image is (nothing is
     * pulled): with {@code sizes}, each layer streams once through verification to add up its files.
     */
    public List<dev.ferry.history.ImageHistory> history(ImageLocation location, Platform platform, boolean allPlatforms,
            boolean sizes) throws IOException {
        try (ArchiveWork work = new ArchiveWork()) {
            Ends.Source source = Ends.source(location, clients, work, streams());
            return dev.ferry.history.HistoryReader.read(source.source(), location.displayName(), source.reference(),
                    platform, allPlatforms, sizes);
        }
    }

    /** A message with the work directories of {@code oci-archive:} locations named as their archives. */
    public static String describe(String message) {
        return ArchiveWork.describe(message);
    }

    private static String layoutName(Path dir, String refName) {
        return "oci:" + dir + (refName != null ? ":" + refName : "");
    }

    /**
     * Deletes an image from a registry as {@code skopeo delete} does: the manifest the reference
     * names (resolved to its digest first when it is a tag), and with it every tag that points at it.
     *
     * @return the digest that was deleted
     */
    public Digest delete(ImageReference ref, RegistryAccess access) throws IOException {
        RegistryClient client = clients.client(ref.repository(), access);
        Digest digest = ref.digest() != null ? ref.digest() : client.manifest(ref.manifestReference()).digest();
        client.deleteManifest(digest);
        return digest;
    }

    /** Every tag of a repository, following pagination. */
    public List<String> listTags(Repository repository, RegistryAccess access) throws IOException {
        return clients.client(repository, access).tags();
    }

    /**
     * Checks credentials against a registry before they are stored, as {@code docker login} does.
     *
     * @return true when the registry accepted them, false when it asks for no credentials at all
     * @throws dev.ferry.auth.AuthenticationException when it refuses them
     */
    public boolean checkLogin(Registry registry, RegistryAccess access) throws IOException {
        return clients.checkCredentials(registry, access);
    }

    @Override
    public void close() {
        clients.close();
    }
}
