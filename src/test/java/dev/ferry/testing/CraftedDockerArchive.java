package dev.ferry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A docker-archive written entry by entry, so that a test can give it any shape: Docker 24's
 * directories per layer, links, names no tool writes.
 */
public final class CraftedDockerArchive {

    private record Entry(String name, byte[] body, byte type, String link) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public CraftedDockerArchive file(String name, byte[] body) {
        entries.add(new Entry(name, body, TarConstants.LF_NORMAL, null));
        return this;
    }

    public CraftedDockerArchive file(String name, String body) {
        return file(name, body.getBytes(StandardCharsets.UTF_8));
    }

    public CraftedDockerArchive symlink(String name, String target) {
        entries.add(new Entry(name, new byte[0], TarConstants.LF_SYMLINK, target));
        return this;
    }

    public CraftedDockerArchive hardLink(String name, String target) {
        entries.add(new Entry(name, new byte[0], TarConstants.LF_LINK, target));
        return this;
    }

    /** A docker save of Docker up to 24: {@code ID/layer.tar} per layer (as the image stores them), the config as {@code HEX.json}. */
    public static CraftedDockerArchive docker24(TestImage image, String... repoTags) {
        CraftedDockerArchive archive = new CraftedDockerArchive();
        String configName = image.config().digest().hex() + ".json";
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            String id = image.diffIds().get(i).hex();
            archive.file(id + "/VERSION", "1.0").file(id + "/json", "{\"id\":\"" + id + "\"}")
                    .file(id + "/layer.tar", image.layers().get(i).bytes());
            layers.add(id + "/layer.tar");
        }
        archive.file(configName, image.config().bytes());
        return archive.file("manifest.json", manifestJson(configName, layers, repoTags));
    }

    public static String manifestJson(String config, List<String> layers, String... repoTags) {
        return "[{\"Config\":\"" + config + "\",\"RepoTags\":[" + String.join(",", List.of(repoTags).stream()
                .map(t -> "\"" + t + "\"").toList()) + "],\"Layers\":[" + String.join(",", layers.stream()
                .map(t -> "\"" + t + "\"").toList()) + "]}]";
    }

    public Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeTo(out);
        }
        return file;
    }

    public Path writeGzipped(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            writeTo(out);
        }
        return file;
    }

    private void writeTo(OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Entry e : entries) {
            TarArchiveEntry entry = e.link == null ? new TarArchiveEntry(e.name, TarConstants.LF_NORMAL, true)
                    : new TarArchiveEntry(e.name, e.type, true);
            if (e.link != null) {
                entry.setLinkName(e.link);
            }
            entry.setSize(e.body.length);
            tar.putArchiveEntry(entry);
            tar.write(e.body);
            tar.closeArchiveEntry();
        }
        tar.finish();
    }
}
