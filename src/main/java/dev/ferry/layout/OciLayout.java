package dev.ferry.layout;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.files.AtomicFiles;
import dev.ferry.manifest.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An OCI image layout directory (image-spec v1.1): {@code oci-layout}, {@code index.json} and
 * {@code blobs/<alg>/<hex>}. It only ever holds verified blobs under digest names: blobs are written
 * to partial files and renamed after verification, and {@code index.json} is replaced atomically,
 * last, under a lock.
 */
public final class OciLayout {

    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    static final String LAYOUT_VERSION = "1.0.0";
    static final String PARTIAL_DIR = ".ferry-partial";
    private static final AtomicLong UNIQUE = new AtomicLong();

    private final Path root;
    private final IndexFile index;

    private OciLayout(Path root) {
        this.root = root;
        this.index = new IndexFile(root);
    }

    /** Opens the layout at {@code dir}, creating it when the directory is missing or empty. */
    public static OciLayout open(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new LayoutException(dir + " exists and is not a directory");
        }
        Files.createDirectories(root);
        Path layoutFile = root.resolve(LAYOUT_FILE);
        if (Files.exists(layoutFile)) {
            String text = Files.readString(layoutFile, StandardCharsets.UTF_8);
            if (!text.contains("\"imageLayoutVersion\"")) {
                throw new LayoutException(layoutFile + " is not an OCI layout file");
            }
        } else {
            if (!isEmptyOrOnlyOurs(root)) {
                throw new LayoutException(dir + " is not empty and is not an OCI image layout (no oci-layout file); "
                        + "choose an empty or new directory");
            }
            AtomicFiles.write(layoutFile, ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(root.resolve("blobs").resolve("sha256"));
        Files.createDirectories(root.resolve(PARTIAL_DIR));
        OciLayout layout = new OciLayout(root);
        layout.index.createIfMissing();
        layout.removeAbandonedPartials();
        return layout;
    }

    /**
     * Removes partial blobs of their own left by runs that were killed: their names carry the
     * writer's process ID, and a partial file whose writer is gone will never be committed. Partial
     * files named after the digest alone are kept: a later pull of the blob resumes from them.
     */
    private void removeAbandonedPartials() throws IOException {
        try (Stream<Path> partials = Files.list(root.resolve(PARTIAL_DIR))) {
            for (Path partial : partials.toList()) {
                String name = partial.getFileName().toString();
                int dot = name.lastIndexOf('.');
                int dash = name.lastIndexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(name.substring(dot + 1, dash > dot ? dash : name.length()));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(partial);
            }
        }
    }

    /**
     * True when the directory holds nothing or only what opening a layout creates, which another
     * process opening it at the same moment may have created already: its oci-layout (written since
     * we looked for it), the temporary files it writes oci-layout and index.json through, the lock.
     */
    private static boolean isEmptyOrOnlyOurs(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.allMatch(p -> {
                String name = p.getFileName().toString();
                return name.equals(PARTIAL_DIR) || name.equals("blobs") || name.equals(INDEX_FILE)
                        || name.equals(LAYOUT_FILE) || name.startsWith("." + LAYOUT_FILE + ".")
                        || name.startsWith("." + INDEX_FILE + ".");
            });
        }
    }

    /**
     * Opens an existing layout to read from; creates nothing.
     */
    public static OciLayout openExisting(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new LayoutException(dir + " does not exist or is not a directory");
        }
        if (!Files.isRegularFile(root.resolve(LAYOUT_FILE))) {
            throw new LayoutException(dir + " is not an OCI image layout (no oci-layout file)");
        }
        return new OciLayout(root);
    }

    /** The entries of index.json, as stored. */
    public List<Descriptor> manifests() throws IOException {
        return index.entries();
    }

    /** Opens a stored blob; the caller verifies it. */
    public InputStream openBlob(Descriptor descriptor) throws IOException {
        try {
            return Files.newInputStream(blobPath(descriptor.digest()));
        } catch (NoSuchFileException e) {
            throw new LayoutException(root + " lacks blob " + descriptor.digest() + " (the layout is incomplete)");
        }
    }

    public Path root() {
        return root;
    }

    /** {@code blobs/<alg>/<hex>}: safe to build because a {@link Digest} is validated when made. */
    public Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** True when the blob is stored with the descriptor's size (blobs here were verified when written). */
    public boolean hasBlob(Descriptor descriptor) {
        Path path = blobPath(descriptor.digest());
        try {
            return Files.isRegularFile(path) && Files.size(path) == descriptor.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts writing a blob; commit it only after its content was verified. */
    BlobWriter newBlob(Digest digest) throws IOException {
        Files.createDirectories(blobPath(digest).getParent());
        Path partial = root.resolve(PARTIAL_DIR).resolve(digest.algorithm() + "-" + digest.hex() + "."
                + ProcessHandle.current().pid() + "-" + UNIQUE.incrementAndGet());
        return new BlobWriter(partial, blobPath(digest));
    }

    /**
     * Starts writing a blob, resuming from what a partial file left by an earlier attempt or a
     * killed run holds ({@code .ferry-partial/<alg>-<hex>}, see {@link BlobWriter#length()}). When
     * another writer is busy with that file, writes to a fresh file of its own instead.
     */
    BlobWriter resumableBlob(Descriptor descriptor) throws IOException {
        Digest digest = descriptor.digest();
        Files.createDirectories(blobPath(digest).getParent());
        Path stable = root.resolve(PARTIAL_DIR).resolve(digest.algorithm() + "-" + digest.hex());
        BlobWriter writer = BlobWriter.resumable(stable, blobPath(digest), descriptor.size());
        return writer != null ? writer : newBlob(digest);
    }

    /**
     * The door for a streamed blob: a receiver that verifies its size, digest and (for a layer)
     * diff_id before it names it, resuming from a partial file an earlier attempt or run left.
     *
     * @param diffId the diff_id the config promises, or null when the blob is not an image layer
     */
    public BlobReceiver receive(Descriptor descriptor, Digest diffId) throws IOException {
        return BlobReceiver.into(resumableBlob(descriptor), descriptor, diffId);
    }

    /** Stores a small blob held in memory (a config, a manifest), after hashing it again. */
    public void putBlob(Descriptor descriptor, byte[] bytes) throws IOException {
        Digest digest = descriptor.digest();
        if (bytes.length != descriptor.size()) {
            throw VerificationException.sizeMismatch("blob " + digest, descriptor.size(), bytes.length);
        }
        Digest actual = digest.computeOver(bytes);
        if (!actual.equals(digest)) {
            throw VerificationException.digestMismatch("blob " + digest, digest, actual);
        }
        if (Files.isRegularFile(blobPath(digest)) && Files.size(blobPath(digest)) == bytes.length) {
            return;
        }
        try (BlobWriter writer = newBlob(digest)) {
            writer.stream().write(bytes);
            writer.commit();
        }
    }

    /**
     * Points {@code index.json} at a manifest under a name (the {@code org.opencontainers.image.ref.name}
     * annotation), replacing the entry that had that name for the same image and keeping every
     * other entry.
     *
     * @param refName the name, or null to add an unnamed entry
     * @param imageName the full image name (containerd's {@code io.containerd.image.name}), or null
     */
    public void tag(Descriptor manifest, String refName, String imageName) throws IOException {
        index.put(manifest, refName, imageName);
    }

    /**
     * Removes the entries of {@code index.json} whose ref.name {@code drop} accepts, under the index
     * lock; blobs stay.
     */
    public void untag(java.util.function.Predicate<String> drop) throws IOException {
        index.untag(drop);
    }
}
