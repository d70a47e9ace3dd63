package dev.ferry.layout;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.MediaType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Removes the blobs of a layout that index.json no longer reaches: mark every blob reachable from
 * its entries (manifests, indexes and anything else that is a JSON document naming descriptors),
 * then delete the other blob files. Conservative where the layout is not what ferry wrote: a
 * document that names a descriptor it cannot read stops the collection before anything is deleted;
 * only regular files named by a digest are removed, never a link or what it points at; a blob written
 * after {@code writtenBefore} is kept (a writer that takes no lease may be about to name it).
 */
final class GarbageCollector {

    /** Manifests and indexes are at most 4 MiB (as everywhere in ferry); larger blobs are not documents. */
    static final int MAX_DOCUMENT_BYTES = 4 << 20;
    /** More documents or blob files than this and the layout is not collected: the work stays bounded. */
    static final int MAX_DOCUMENTS = 100_000;
    static final int MAX_BLOB_FILES = 1_000_000;
    private static final List<String> ALGORITHMS = List.of("sha256", "sha512");
    private static final List<String> CHILD_LISTS = List.of("manifests", "layers", "blobs");
    private static final List<String> CHILDREN = List.of("config", "subject");

    private final LayoutFiles files;

    GarbageCollector(LayoutFiles files) {
        this.files = files;
    }

    /** Runs under the index lock, so no entry is added or removed while blobs are marked and swept. */
    CollectedGarbage collect(List<Descriptor> entries, Instant writtenBefore) throws IOException {
        Set<Digest> reachable = mark(entries);
        // every directory is listed (and refused when it is a link) before anything is deleted
        java.util.Map<String, List<String>> listed = new java.util.LinkedHashMap<>();
        for (String algorithm : ALGORITHMS) {
            String dir = "blobs/" + algorithm;
            if (files.exists(dir)) {
                List<String> names = files.list(dir);
                if (names.size() > MAX_BLOB_FILES) {
                    throw new LayoutException(files.shown().resolve(dir) + " holds more than " + MAX_BLOB_FILES
                            + " files; nothing removed");
                }
                listed.put(algorithm, names);
            }
        }
        int removed = 0;
        long bytes = 0;
        for (var e : listed.entrySet()) {
            for (String name : e.getValue()) {
                Digest digest;
                try {
                    digest = Digest.parse(e.getKey() + ":" + name);
                } catch (IllegalArgumentException x) {
                    continue; // not named by a digest: not a blob ferry manages
                }
                String entry = "blobs/" + e.getKey() + "/" + name;
                BasicFileAttributes attributes = files.attributes(entry);
                if (reachable.contains(digest) || attributes == null || !attributes.isRegularFile()
                        || !attributes.lastModifiedTime().toInstant().isBefore(writtenBefore)) {
                    continue;
                }
                files.deleteIfExists(entry);
                removed++;
                bytes += attributes.size();
            }
        }
        return new CollectedGarbage(removed, bytes);
    }

    private Set<Digest> mark(List<Descriptor> entries) throws IOException {
        Set<Digest> reachable = new HashSet<>();
        Deque<Descriptor> pending = new ArrayDeque<>(entries);
        int documents = 0;
        while (!pending.isEmpty()) {
            Descriptor next = pending.pop();
            if (!reachable.add(next.digest()) || !mayNameDescriptors(next)) {
                continue;
            }
            if (++documents > MAX_DOCUMENTS) {
                throw new LayoutException(files.shown() + " names more than " + MAX_DOCUMENTS + " documents; nothing removed");
            }
            JsonNode document = read(next.digest());
            if (document == null) {
                continue;
            }
            for (String field : CHILD_LISTS) {
                for (JsonNode child : document.path(field)) {
                    pending.push(descriptor(next.digest(), child));
                }
            }
            for (String field : CHILDREN) {
                if (document.has(field)) {
                    pending.push(descriptor(next.digest(), document.get(field)));
                }
            }
        }
        return reachable;
    }

    /** Layers and image configs name no descriptors; anything else small may (an artifact's own types included). */
    private static boolean mayNameDescriptors(Descriptor d) {
        String type = d.mediaType() == null ? "" : d.mediaType();
        return d.size() <= MAX_DOCUMENT_BYTES && !type.contains(".layer.") && !type.contains(".rootfs.")
                && !type.equals(MediaType.OCI_CONFIG) && !type.equals(MediaType.DOCKER_CONFIG);
    }

    /** The blob as a JSON object, or null when it is missing (a sparse index's left-out child) or no JSON object. */
    private JsonNode read(Digest digest) throws IOException {
        byte[] bytes;
        try {
            bytes = files.readSmall("blobs/" + digest.algorithm() + "/" + digest.hex(), MAX_DOCUMENT_BYTES);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null; // a blob, not a document
        }
    }

    private Descriptor descriptor(Digest parent, JsonNode node) throws LayoutException {
        try {
            return Json.MAPPER.treeToValue(node, Descriptor.class);
        } catch (JacksonException | IllegalArgumentException e) {
            // Where, not what: the text is the file's content.
            throw new LayoutException(files.shown() + ": blob " + parent + " names a descriptor that is not valid; "
                    + "nothing removed", e);
        }
    }
}
