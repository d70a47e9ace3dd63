package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.InvalidDigestException;
import dev.ferry.digest.VerificationException;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.layout.LayoutException;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.ManifestParser;
import java.io.IOException;
import java.nio.file.Path;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An OCI image layout as an image source. Blobs are verified as they are read, as a registry's
 * are: a layout on disk can be damaged or edited too. Every file is read through {@link OciLayout},
 * which refuses links and special files, so no byte from outside the layout is ever sent on.
 */
public final class LayoutSource implements ImageSource {

    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final int MAX_NAMES_SHOWN = 20;
    private static final int MAX_NAME_SHOWN = 128;

    private final OciLayout layout;
    private final String name;

    /** index.json's entries, read once: every manifest of an index is looked up in them. */
    private volatile List<Descriptor> entries;

    public LayoutSource(OciLayout layout) {
        this(layout, "oci:" + layout.root());
    }

    /** @param name the layout as the user named it, for messages */
    public LayoutSource(OciLayout layout, String name) {
        this.layout = layout;
        this.name = name;
    }

    /** The layout in {@code dir}, which must exist. */
    public static LayoutSource open(Path dir) throws IOException {
        return new LayoutSource(OciLayout.openExisting(dir));
    }

    /** The layout in {@code dir}, which must exist, named as the user named it. */
    public static LayoutSource open(Path dir, String name) throws IOException {
        return new LayoutSource(OciLayout.openExisting(dir), name);
    }

    private List<Descriptor> entries() throws IOException {
        List<Descriptor> read = entries;
        if (read == null) {
            read = layout.manifests();
            entries = read;
        }
        return read;
    }

    /**
     * The tag or digest that names the image to copy: the image named {@code refName} in
     * index.json, or with no name the layout's only image (as skopeo's {@code oci:DIR} means).
     */
    public String resolve(String refName) throws IOException {
        List<Descriptor> entries = entries();
        if (refName == null) {
            if (entries.size() == 1) {
                return entries.getFirst().digest().toString();
            }
            throw new LayoutException(layout.root() + " holds " + entries.size() + " images: name one as oci:DIR:NAME"
                    + names(entries));
        }
        return refName;
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        return read(find(reference));
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        return read(child);
    }

    private Manifest read(Descriptor descriptor) throws IOException {
        String subject = "manifest " + descriptor.digest() + " in " + layout.root();
        if (descriptor.size() > ManifestParser.MAX_MANIFEST_BYTES) {
            throw new VerificationException(subject, "is " + descriptor.size() + " bytes, more than the "
                    + ManifestParser.MAX_MANIFEST_BYTES + " ferry accepts");
        }
        byte[] raw = blobBytes(descriptor, ManifestParser.MAX_MANIFEST_BYTES);
        try {
            return ManifestParser.parse(subject, raw, descriptor.mediaType(), descriptor.digest());
        } catch (ManifestException e) {
            if (e.getCause() == null) {
                throw e;
            }
            // The parser's own words quote the bytes it stopped at: the file's content stays out.
            throw ManifestException.invalid(subject, "the manifest is not valid JSON or not a valid manifest", e);
        }
    }

    /**
     * The index.json entry a reference names (by ref.name, else by digest). A digest that index.json
     * does not list is still found in the blobs: the platforms of a stored index are not listed.
     */
    private Descriptor find(String reference) throws IOException {
        List<Descriptor> entries = entries();
        for (Descriptor entry : entries) {
            if (entry.annotations() != null && reference.equals(entry.annotations().get(REF_NAME))) {
                return entry;
            }
        }
        Digest digest;
        try {
            digest = reference.contains(":") ? Digest.parse(reference) : null;
        } catch (InvalidDigestException e) {
            digest = null;
        }
        if (digest == null) {
            throw new LayoutImageNotFoundException("no image named '" + reference + "' in " + layout.root()
                    + names(entries));
        }
        for (Descriptor entry : entries) {
            if (entry.digest().equals(digest)) {
                return entry;
            }
        }
        long size = layout.blobSize(digest);
        if (size < 0) {
            throw new LayoutImageNotFoundException("no manifest " + digest + " in " + layout.root());
        }
        return new Descriptor(null, digest, size);
    }

    /** The names index.json gives, for a message: a crafted index.json must not make it endless. */
    private static String names(List<Descriptor> entries) {
        List<String> names = entries.stream().map(e -> e.annotations() == null ? null : e.annotations().get(REF_NAME))
                .filter(Objects::nonNull).toList();
        if (names.isEmpty()) {
            return "";
        }
        List<String> shown = names.stream().limit(MAX_NAMES_SHOWN)
                .map(n -> n.length() > MAX_NAME_SHOWN ? n.substring(0, MAX_NAME_SHOWN) + "..." : n).toList();
        return " (names: " + String.join(", ", shown)
                + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "") + ")";
    }

    @Override
    public InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException {
        return new VerifyingInputStream(layout.openBlob(descriptor), "blob " + descriptor.digest() + " in "
                + layout.root(), descriptor.digest(), descriptor.size());
    }

    @Override
    public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
        if (descriptor.size() > maxBytes) {
            throw new VerificationException("blob " + descriptor.digest(), "is " + descriptor.size()
                    + " bytes, more than the " + maxBytes + " ferry reads into memory");
        }
        try (InputStream in = openBlob(descriptor, abort -> { })) {
            byte[] bytes = in.readNBytes((int) descriptor.size());
            if (in.read() != -1) {
                throw VerificationException.sizeMismatch("blob " + descriptor.digest(), descriptor.size(),
                        descriptor.size() + 1);
            }
            return bytes;
        }
    }

    @Override
    public String name() {
        return name;
    }
}
