package dev.ferry.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UntagTest {

    @Test
    void untagRemovesOnlyTheNamedEntriesItIsAskedToAndKeepsUnnamedOnes(@TempDir Path dir) throws Exception {
        OciLayout layout = OciLayout.open(dir);
        Descriptor a = new Descriptor("application/vnd.oci.image.manifest.v1+json", Digest.sha256("a".getBytes()), 1);
        Descriptor b = new Descriptor("application/vnd.oci.image.manifest.v1+json", Digest.sha256("b".getBytes()), 1);
        layout.tag(a, "app:1", null);
        layout.tag(b, "app:2", null);
        layout.tag(b, "other:2", null);
        layout.tag(a, null, null);
        layout.untag(name -> name.startsWith("app:") && !name.equals("app:1"));
        List<String> names = layout.manifests().stream()
                .map(d -> d.annotations() == null ? null : d.annotations().get("org.opencontainers.image.ref.name"))
                .toList();
        assertEquals(3, names.size(), names.toString());
        assertEquals(List.of("app:1", "other:2"), names.stream().filter(n -> n != null).sorted().toList());
        assertEquals(true, Files.exists(dir.resolve("index.json")));
    }
}
