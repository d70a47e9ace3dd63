package dev.ferry.layout;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** A partial file of one writer: {@code <alg>-<hex>.<pid>-<n>}. */
    private static final Pattern OF_PROCESS = Pattern.compile("[a-z0-9]+-[a-f0-9]+\\.([0-9]{1,18})-[0-9]+");

    /** oci-layout holds one small JSON object; a larger file is not one ferry wrote or reads. */
    private static final int MAX_LAYOUT_FILE_BYTES = 4096;

    private final Path root;
    private final LayoutFiles files;
    private final IndexFile index;

    private OciLayout(Path root, LayoutFiles files) {
        this.root = root;
        this.files = files;
        this.index = new IndexFile(files);
    }

    /**
     * Opens the layout at {@code dir}, creating it when the directory is missing or empty. The
     * directory may be a link to one; below it, links and special files are refused where ferry
     * expects its own files and directories, and never followed.
     */
    public static OciLayout open(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new LayoutException(dir + " exists and is not a directory");
        }
        Files.createDirectories(root);
        LayoutFiles files = LayoutFiles.at(root);
        if (files.regularFile(LAYOUT_FILE) != null) {
            checkLayoutFile(files);
        } else {
            if (!isEmptyOrOnlyOurs(files)) {
                throw new LayoutException(dir + " is not empty and is not an OCI image layout (no oci-layout file); "
                        + "choose an empty or new directory");
            }
            files.writeAtomically(LAYOUT_FILE, ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        files.createDirectories("blobs/sha256");
        files.createDirectories(PARTIAL_DIR);
        OciLayout layout = new OciLayout(root, files);
        layout.index.createIfMissing();
        layout.removeAbandonedPartials();
        return layout;
    }

    private static void checkLayoutFile(LayoutFiles files) throws IOException {
        String text = new String(files.readSmall(LAYOUT_FILE, MAX_LAYOUT_FILE_BYTES), StandardCharsets.UTF_8);
        if (!text.contains("\"imageLayoutVersion\"")) {
            throw new LayoutException(files.shown().resolve(LAYOUT_FILE) + " is not an OCI layout file");
        }
    }

    /**
     * Removes partial blobs of their own left by runs that were killed: their names carry the
     * writer's process ID, and a partial file whose writer is gone will never be committed. Partial
     * files named after the digest alone are kept: a later pull of the blob resumes from them.
     */
    private void removeAbandonedPartials() throws IOException {
        for (String name : files.list(PARTIAL_DIR)) {
            Matcher own = OF_PROCESS.matcher(name);
            if (!own.matches()) {
                continue; // named after a digest alone (kept for resuming), or not ferry's
            }
            long pid = Long.parseLong(own.group(1)); // at most 18 digits: always a long
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            files.deleteIfExists(PARTIAL_DIR + "/" + name);
        }
    }

    /**
     * True when the directory holds nothing or only what opening a layout creates, which another
     * process opening it at the same moment may have created already: its oci-layout (written since
     * we looked for it), the temporary files it writes oci-layout and index.json through, the lock.
     */
    private static boolean isEmptyOrOnlyOurs(LayoutFiles files) throws IOException {
        return files.list("").stream().allMatch(name -> name.equals(PARTIAL_DIR) || name.equals("blobs")
                || name.equals(INDEX_FILE) || name.equals(LAYOUT_FILE) || name.startsWith("." + LAYOUT_FILE + ".")
                || name.startsWith("." + INDEX_FILE + "."));
    }

    /**
     * Opens an existing layout to read from; creates nothing. Its files are read as a source's:
     * a link or special file where a blob, index.json or oci-layout should be is refused.
     */
    public static OciLayout openExisting(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new LayoutException(dir + " does not exist or is not a directory");
        }
        LayoutFiles files = LayoutFiles.at(root);
        if (files.regularFile(LAYOUT_FILE) == null) {
            throw new LayoutException(dir + " is not an OCI image layout (no oci-layout file)");
        }
        return new OciLayout(root, files);
    }

    /** The entries of index.json, as stored. */
    public List<Descriptor> manifests() throws IOException {
        return index.entries();
    }

    /** Opens a stored blob; the caller verifies it. */
    public InputStream openBlob(Descriptor descriptor) throws IOException {
        try {
            return files.open(blobEntry(descriptor.digest()));
        } catch (NoSuchFileException e) {
            throw new LayoutException(root + " lacks blob " + descriptor.digest() + " (the layout is incomplete)");
        }
    }

    /**
     * The stored blob's size, or -1 when the layout does not hold it.
     *
     * @throws LayoutException when something other than a regular file is stored under its name
     */
    public long blobSize(Digest digest) throws IOException {
        BasicFileAttributes attributes = files.regularFile(blobEntry(digest));
        return attributes == null ? -1 : attributes.size();
    }

    /** The layout directory, as the user named it (absolute): messages name this. */
    public Path root() {
        return root;
    }

    /** {@code blobs/<alg>/<hex>}: safe to build because a {@link Digest} is validated when made. */
    public Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private static String blobEntry(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    /**
     * True when the blob is stored with the descriptor's size (blobs here were verified when written).
     * Anything but a regular file under its name (a planted link) does not count: the blob is
     * written, and its rename replaces that entry.
     */
    public boolean hasBlob(Descriptor descriptor) {
        try {
            BasicFileAttributes attributes = files.attributes(blobEntry(descriptor.digest()));
            return attributes != null && attributes.isRegularFile() && attributes.size() == descriptor.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts writing a blob; commit it only after its content was verified. */
    BlobWriter newBlob(Digest digest) throws IOException {
        files.createDirectories("blobs/" + digest.algorithm());
        files.createDirectories(PARTIAL_DIR);
        return BlobWriter.create(files, partialName(digest), blobEntry(digest));
    }

    /** A partial file of this writer's own: {@code <alg>-<hex>.<pid>-<n>}. */
    private static String partialName(Digest digest) {
        return PARTIAL_DIR + "/" + digest.algorithm() + "-" + digest.hex() + "." + ProcessHandle.current().pid() + "-"
                + UNIQUE.incrementAndGet();
    }

    /**
     * Starts writing a blob, resuming from what a partial file left by an earlier attempt or a
     * killed run holds ({@code .ferry-partial/<alg>-<hex>}, see {@link BlobWriter#length()}). When
     * another writer is busy with that file, writes to a fresh file of its own instead.
     */
    BlobWriter resumableBlob(Descriptor descriptor) throws IOException {
        Digest digest = descriptor.digest();
        files.createDirectories("blobs/" + digest.algorithm());
        files.createDirectories(PARTIAL_DIR);
        String stable = PARTIAL_DIR + "/" + digest.algorithm() + "-" + digest.hex();
        BlobWriter writer = BlobWriter.resumable(files, stable, blobEntry(digest), descriptor.size());
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

    /**
     * Takes a file this process wrote elsewhere on the same file system (an archive's entry) as a
     * blob without copying it, through the same checks as a streamed blob ({@link Adoption}).
     *
     * @param diffId the diff_id the config promises, or null when the blob is not an image layer
     */
    public void adopt(Path file, Descriptor descriptor, Digest diffId) throws IOException {
        if (hasBlob(descriptor)) {
            Files.delete(file);
            return;
        }
        Digest digest = descriptor.digest();
        files.createDirectories("blobs/" + digest.algorithm());
        files.createDirectories(PARTIAL_DIR);
        Adoption.verifyAndName(files, file, partialName(digest), blobEntry(digest), descriptor, diffId);
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
        BasicFileAttributes stored = files.attributes(blobEntry(digest));
        if (stored != null && stored.isRegularFile() && stored.size() == bytes.length) {
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

    /**
     * Holds this layout's blobs from {@link #collectGarbage} until closed: a writer takes it before
     * its first blob and closes it after index.json names its image. Waits while another process collects.
     */
    public java.io.Closeable holdBlobs() throws IOException {
        return BlobLease.shared(files);
    }

    /**
     * Removes the blobs index.json no longer reaches (see {@link GarbageCollector}), under the index
     * lock; returns null, removing nothing, while a writer holds the blobs ({@link #holdBlobs}).
     *
     * @param writtenBefore blobs written at or after this are kept
     */
    public CollectedGarbage collectGarbage(java.time.Instant writtenBefore) throws IOException {
        return BlobLease.exclusive(files, () -> index.locked(
                () -> new GarbageCollector(files).collect(index.entries(), writtenBefore)));
    }
}
