package dev.ferry.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/kubernetes read as Kubernetes API objects (fabric8's model): the Indexed Job of the
 * CronJob, the DaemonSet's hostPath layout, their ConfigMaps as valid sync files, and their
 * command lines as the README shows them.
 */
class KubernetesManifestsTest {

    static final Path DEPLOY = Path.of("deploy/kubernetes");
    // unknown fields fail the read: a misspelt key is not a valid object
    static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    static List<JsonNode> documents(String file) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(DEPLOY.resolve(file).toFile())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    static <T> T object(List<JsonNode> docs, String kind, Class<T> type) {
        JsonNode node = docs.stream().filter(d -> kind.equals(d.path("kind").asString(""))).findFirst().orElseThrow();
        return YAML.treeToValue(node, type);
    }

    static String commandLine(Container c) {
        List<String> words = new ArrayList<>(c.getCommand());
        words.addAll(c.getArgs());
        return String.join(" ", words);
    }

    static String readme() throws Exception {
        return Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void theCronJobRunsAnIndexedJobWithOneShardPerPodAndNeverOverlaps() throws Exception {
        List<JsonNode> docs = documents("mirror-cronjob.yaml");
        CronJob cron = object(docs, "CronJob", CronJob.class);
        assertEquals("batch/v1", cron.getApiVersion());
        assertEquals("Forbid", cron.getSpec().getConcurrencyPolicy());
        JobSpec job = cron.getSpec().getJobTemplate().getSpec();
        assertEquals("Indexed", job.getCompletionMode());
        assertEquals(job.getCompletions(), job.getParallelism());
        Container ferry = job.getTemplate().getSpec().getContainers().getFirst();
        String line = commandLine(ferry);
        assertTrue(line.contains("--shard $(JOB_COMPLETION_INDEX)/" + job.getCompletions()), line);
        assertTrue(readme().contains(line), "README shows: " + line);

        ConfigMap config = object(docs, "ConfigMap", ConfigMap.class);
        SyncConfig sync = ConfigReader.parse("sync.yaml", config.getData().get("sync.yaml").getBytes(StandardCharsets.UTF_8),
                Map.of("MIRROR_USER", "u", "MIRROR_PASSWORD", "p"), null);
        assertEquals(3, sync.rules().size());
        String mounted = ferry.getVolumeMounts().getFirst().getMountPath() + "/sync.yaml";
        assertTrue(ferry.getArgs().contains(mounted));
    }

    @Test
    void theNodeAgentKeepsALayoutOnTheHostCurrentAndServesHealth() throws Exception {
        List<JsonNode> docs = documents("node-agent-daemonset.yaml");
        DaemonSet agent = object(docs, "DaemonSet", DaemonSet.class);
        var pod = agent.getSpec().getTemplate().getSpec();
        Container ferry = pod.getContainers().getFirst();
        String line = commandLine(ferry);
        assertTrue(line.contains("--interval 15m"), line);
        assertTrue(readme().contains(line), "README shows: " + line);
        assertEquals("/healthz", ferry.getReadinessProbe().getHttpGet().getPath());
        var hostPath = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).findFirst().orElseThrow();
        String mountPath = ferry.getVolumeMounts().stream().filter(m -> m.getName().equals(hostPath.getName()))
                .findFirst().orElseThrow().getMountPath();

        ConfigMap config = object(docs, "ConfigMap", ConfigMap.class);
        SyncConfig sync = ConfigReader.parse("node-sync.yaml",
                config.getData().get("node-sync.yaml").getBytes(StandardCharsets.UTF_8), Map.of(), null);
        for (SyncRule rule : sync.rules()) {
            Target.Layout layout = (Target.Layout) rule.target();
            assertEquals(Path.of(mountPath), layout.dir());
            assertTrue(layout.prune());
            assertEquals("linux/amd64", rule.platform().toString(), "one platform's image for the node");
        }
    }

    @Test
    void thePullThroughCacheIsARegistryInProxyMode() throws Exception {
        ConfigMap config = object(documents("pull-through-cache.yaml"), "ConfigMap", ConfigMap.class);
        JsonNode registry = YAML.readTree(config.getData().get("config.yml"));
        assertTrue(registry.path("proxy").path("remoteurl").asString("").startsWith("https://"));
    }
}
