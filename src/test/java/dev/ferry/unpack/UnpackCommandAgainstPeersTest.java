package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry unpack} end to end against the peers: a Debian-like image (the /lib64 symlink, a
 * hard link, whiteouts, owners, a capability, a device node) pushed with gzip layers to a real
 * docker-registry and unpacked by ferry from there, against the same layers in a layout unpacked
 * by {@code umoci raw unpack}: the trees are the same, node for node.
 */
class UnpackCommandAgainstPeersTest {

    @TempDir
    Path tmp;

    @Test
    void anImageFromARealRegistryUnpacksToTheTreeUmociMakesOfItsLayers() throws Exception {
        List<byte[]> layers = UmociComparisonTest.debianLike();
        TestImage.Builder builder = TestImage.builder();
        layers.forEach(builder::layerTar);
        Path ferry = tmp.resolve("ferry");
        try (LocalRegistry registry = LocalRegistry.start()) {
            new TestPusher(registry.hostPort()).push("unpack/debian", "1", builder.build());

            Cli.Result result = Cli.run("unpack", "-q", "--tls-verify=false",
                    "docker://" + registry.hostPort() + "/unpack/debian:1", ferry.toString());

            assertEquals(0, result.exitCode(), result.toString());
        }
        Path layout = tmp.resolve("layout");
        OciImageFixture.write(layout, "test", layers);
        Path umoci = tmp.resolve("umoci");
        External.check("umoci", "raw", "unpack", "--image", layout + ":test", umoci.toString());

        Map<String, TreeSnapshot.Node> theirs = TreeSnapshot.of(umoci).nodes();
        Map<String, TreeSnapshot.Node> ours = TreeSnapshot.of(ferry).nodes();
        assertEquals(theirs.keySet(), ours.keySet());
        for (String path : theirs.keySet()) {
            assertEquals(theirs.get(path), ours.get(path), path);
        }
    }
}
