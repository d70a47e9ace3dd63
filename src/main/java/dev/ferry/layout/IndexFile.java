package dev.ferry.layout;

import dev.ferry.json.Json;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.MediaType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The layout's {@code index.json}, updated read-modify-write under an exclusive file lock and
 * replaced atomically, so that concurrent pulls into one layout all keep their entries. Fields
 * and entries ferry does not know are kept as they are.
 */
final class IndexFile {

    static final String LOCK_FILE = ".index.json.lock";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** containerd's annotation for the full image name; it tells apart equal tags of other images. */
    static final String IMAGE_NAME = "io.containerd.image.name";
    // FileLock is per process; threads of one process queue here first.
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    /** Far more entries than any layout holds; a larger index.json is not read into memory. */
    static final int MAX_INDEX_BYTES = 32 << 20;

    private final LayoutFiles files;
    private final Path file;

    IndexFile(LayoutFiles files) {
        this.files = files;
        this.file = files.shown().resolve(OciLayout.INDEX_FILE);
    }

    void createIfMissing() throws IOException {
        if (files.regularFile(OciLayout.INDEX_FILE) == null) {
            update(root -> { });
        }
    }

    interface Change {
        void apply(ObjectNode root) throws IOException;
    }

    /**
     * Adds an entry, replacing the one it supersedes: the entry with the same ref.name (and, when
     * both carry one, the same full image name), or an unnamed entry for the same digest.
     */
    void put(Descriptor manifest, String refName, String imageName) throws IOException {
        update(root -> {
            ArrayNode manifests = root.withArray("manifests");
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode entry : manifests) {
                String name = text(entry.path("annotations").get(REF_NAME));
                String image = text(entry.path("annotations").get(IMAGE_NAME));
                boolean sameName = refName != null && refName.equals(name)
                        && (image == null || imageName == null || image.equals(imageName));
                boolean sameUnnamed = refName == null && name == null
                        && manifest.digest().toString().equals(entry.path("digest").asString());
                if (!sameName && !sameUnnamed) {
                    kept.add(entry);
                }
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            if (manifest.annotations() != null) {
                annotations.putAll(manifest.annotations());
            }
            if (imageName != null) {
                annotations.put(IMAGE_NAME, imageName);
            }
            if (refName != null) {
                annotations.put(REF_NAME, refName);
            }
            kept.add(Json.MAPPER.valueToTree(manifest.withAnnotations(annotations.isEmpty() ? null : annotations)));
            root.set("manifests", kept);
        });
    }

    /** Removes the named entries whose ref.name {@code drop} accepts. */
    void untag(java.util.function.Predicate<String> drop) throws IOException {
        update(root -> {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode entry : root.withArray("manifests")) {
                String name = text(entry.path("annotations").get(REF_NAME));
                if (name == null || !drop.test(name)) {
                    kept.add(entry);
                }
            }
            root.set("manifests", kept);
        });
    }

    /** The manifests index.json lists; none when there is no index.json yet. */
    List<Descriptor> entries() throws IOException {
        List<Descriptor> entries = new ArrayList<>();
        int number = 0;
        for (JsonNode entry : read().path("manifests")) {
            number++;
            try {
                entries.add(Json.MAPPER.treeToValue(entry, Descriptor.class));
            } catch (JacksonException | IllegalArgumentException e) {
                // The entry's text stays out of the message: it is the file's content.
                throw new LayoutException(file + ": entry " + number + " of manifests is not a valid descriptor", e);
            }
        }
        return entries;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }


    private void update(Change change) throws IOException {
        locked(() -> {
            ObjectNode root = read();
            change.apply(root);
            files.writeAtomically(OciLayout.INDEX_FILE, Json.MAPPER.writeValueAsBytes(root));
            return null;
        });
    }

    interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding the index lock: no entry is added or removed meanwhile, by any process. */
    <T> T locked(Locked<T> work) throws IOException {
        IN_PROCESS.lock();
        try (FileChannel channel = files.openToWrite(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            return work.run();
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private ObjectNode read() throws IOException {
        byte[] bytes;
        try {
            bytes = files.readSmall(OciLayout.INDEX_FILE, MAX_INDEX_BYTES);
        } catch (NoSuchFileException e) {
            ObjectNode fresh = Json.MAPPER.createObjectNode();
            fresh.put("schemaVersion", 2);
            fresh.put("mediaType", MediaType.OCI_INDEX.value());
            fresh.putArray("manifests");
            return fresh;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(bytes);
            if (root instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            // Where, not what: the parser's message quotes the file's bytes.
            throw new LayoutException(file + " is not valid JSON" + where(e), e);
        }
        throw new LayoutException(file + " is not a JSON object");
    }
}
