package dev.ferry;

import dev.ferry.http.Retrier;
import dev.ferry.http.RetryPolicy;
import dev.ferry.inspect.Inspection;
import dev.ferry.inspect.Inspector;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.Platform;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import dev.ferry.registry.HttpClients;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.registry.RegistryClients;
import dev.ferry.layout.OciLayout;
import dev.ferry.transfer.ImageSource;
import dev.ferry.transfer.PullOptions;
import dev.ferry.transfer.PullResult;
import dev.ferry.transfer.Puller;
import dev.ferry.transfer.RegistrySource;
import dev.ferry.transfer.TransferListener;
import java.io.IOException;
import java.nio.file.Path;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * ferry as a library: every verb of the command line is one method here. One instance shares one
 * HTTP connection pool and one token cache; close it when done.
 */
public final class Ferry implements AutoCloseable {

    private final RegistryClients clients;
    private final PrintStream warnings;

    private Ferry(Options options) {
        this.clients = new RegistryClients(HttpClients.create(options.debugLog(), options.connectTimeout(),
                options.readTimeout()), new Retrier(options.retry(), options.debugLog()));
        this.warnings = options.warnings();
    }

    /**
     * @param debugLog where to log each HTTP request, or null
     * @param warnings where warnings go (standard error for the CLI)
     */
    public record Options(PrintStream debugLog, PrintStream warnings, Duration connectTimeout, Duration readTimeout,
            RetryPolicy retry) {

        public Options(PrintStream debugLog, PrintStream warnings, Duration connectTimeout, Duration readTimeout) {
            this(debugLog, warnings, connectTimeout, readTimeout, RetryPolicy.defaults());
        }

        public static Options defaults() {
            return new Options(null, new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(30),
                    Duration.ofSeconds(60));
        }

        public Options withDebugLog(PrintStream log) {
            return new Options(log, warnings, connectTimeout, readTimeout, retry);
        }

        public Options withWarnings(PrintStream out) {
            return new Options(debugLog, out, connectTimeout, readTimeout, retry);
        }

        /** @param connect how long connecting may take; @param read how long a transfer may get no bytes */
        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(debugLog, warnings, connect, read, retry);
        }

        public Options withRetry(RetryPolicy policy) {
            return new Options(debugLog, warnings, connectTimeout, readTimeout, policy);
        }
    }

    /** How many registry requests were retried so far (throttling, failed connections). */
    public long retries() {
        return clients.retries();
    }

    public static Ferry create(Options options) {
        return new Ferry(options);
    }

    /** Which gzip inflater pulls use on this machine (ISA-L when libisal2 is installed). */
    public static String gzipInflater() {
        return dev.ferry.compress.Compression.gzipImplementation();
    }

    public static Ferry create() {
        return create(Options.defaults());
    }

    private Inspector inspector(Repository repository, RegistryAccess access) {
        return new Inspector(clients.client(repository, access), warnings);
    }

    /** Describes an image without pulling its layers, as {@code skopeo inspect} does, and more. */
    public Inspection inspect(ImageReference ref, RegistryAccess access, Platform platform, boolean listTags)
            throws IOException {
        return inspector(ref.repository(), access).inspect(ref, platform, listTags);
    }

    /** The manifest the reference points at, byte for byte as the registry serves it. */
    public byte[] rawManifest(ImageReference ref, RegistryAccess access) throws IOException {
        return inspector(ref.repository(), access).top(ref).raw();
    }

    /** The platform's config blob, byte for byte as stored, verified against its digest. */
    public byte[] rawConfig(ImageReference ref, RegistryAccess access, Platform platform) throws IOException {
        Inspector inspector = inspector(ref.repository(), access);
        Manifest top = inspector.top(ref);
        ImageManifest image = inspector.image(ref, top, platform);
        return inspector.configBytes(image);
    }

    /**
     * Pulls an image into an OCI layout directory (created when missing), verifying every blob's
     * digest while streaming and every layer's diff_id in the same pass.
     */
    public PullResult pull(ImageReference ref, RegistryAccess access, Path layoutDir, PullOptions options,
            TransferListener listener) throws IOException {
        OciLayout layout = OciLayout.open(layoutDir);
        ImageSource source = new RegistrySource(clients.client(ref.repository(), access));
        return new Puller(source, layout, listener).pull(ref, options);
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
