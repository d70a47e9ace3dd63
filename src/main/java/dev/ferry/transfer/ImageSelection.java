package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageIndex;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.Platform;
import dev.ferry.manifest.PlatformSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a transfer moves: the manifest the destination will point at ({@code root}) and the image
 * manifests under it. For a multi-platform image that is the selected platform's manifest alone,
 * or with {@code all} the index itself and every platform's manifest (or, with {@code only}, the
 * manifests of those platforms: a sparse index).
 */
record ImageSelection(Manifest root, List<ImageManifest> images) {

    static ImageSelection resolve(ImageSource source, String name, String reference, Platform platform, boolean all)
            throws IOException {
        return resolve(source, name, reference, platform, all, List.of());
    }

    /**
     * @param name the image's name for messages
     * @param reference the tag or digest to resolve at the source
     * @param only with {@code all}, the platforms whose manifests are transferred (empty: every one)
     */
    static ImageSelection resolve(ImageSource source, String name, String reference, Platform platform, boolean all,
            List<Platform> only) throws IOException {
        Manifest top = source.manifest(reference);
        List<ImageManifest> images = new ArrayList<>();
        Manifest root = switch (top) {
            case ImageManifest image -> {
                images.add(image);
                yield image;
            }
            case ImageIndex index when all -> {
                // An index may name one manifest many times: each is fetched and stored once.
                Set<Digest> seen = new HashSet<>();
                for (Descriptor child : index.manifests()) {
                    if (wanted(only, child) && seen.add(child.digest())) {
                        images.add(imageAt(source, name, child));
                    }
                }
                if (images.isEmpty() && !only.isEmpty()) {
                    // the selector's refusal names what the index holds; where its rules find one, that one
                    images.add(imageAt(source, name, PlatformSelector.select(name, index, only.get(0))));
                }
                yield index;
            }
            case ImageIndex index -> {
                ImageManifest image = imageAt(source, name, PlatformSelector.select(name, index, platform));
                images.add(image);
                yield image;
            }
        };
        return new ImageSelection(root, List.copyOf(images));
    }

    /** Whether an index entry is transferred: every one, or one whose platform is asked for. */
    private static boolean wanted(List<Platform> only, Descriptor child) {
        return only.isEmpty() || child.platform() != null && only.stream().anyMatch(p -> p.matches(child.platform()));
    }

    private static ImageManifest imageAt(ImageSource source, String name, Descriptor child) throws IOException {
        Manifest manifest = source.manifest(child);
        if (!manifest.digest().equals(child.digest())) {
            throw VerificationException.digestMismatch(name + "@" + child.digest(), child.digest(), manifest.digest());
        }
        if (manifest instanceof ImageManifest image) {
            return image;
        }
        throw ManifestException.unsupported(name + "@" + child.digest(),
                "the index names an index, a nested index, which ferry does not follow");
    }

    /** The manifests to store or push, children before the index that names them. */
    List<Manifest> manifestsInOrder() {
        List<Manifest> ordered = new ArrayList<>(images);
        if (root instanceof ImageIndex) {
            ordered.add(root);
        }
        return ordered;
    }
}
