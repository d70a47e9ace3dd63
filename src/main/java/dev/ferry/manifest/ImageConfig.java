package dev.ferry.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.digest.Digest;
import dev.ferry.json.JsonTrees;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/** The parts of an image config (OCI or Docker) that ferry reads; unknown fields are ignored. */
public record ImageConfig(
        String architecture,
        String os,
        String variant,
        String created,
        String author,
        @JsonProperty("docker_version") String dockerVersion,
        Container config,
        RootFs rootfs,
        List<History> history) {

    public ImageConfig {
        history = history == null ? List.of() : history;
    }

    /** The run-time defaults; Docker and OCI spell the fields alike. */
    public record Container(
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Labels") Map<String, String> labels) {
    }

    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
    }

    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") boolean emptyLayer) {
    }

    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
    }

    public static ImageConfig parse(String subject, byte[] raw) throws ManifestException {
        try {
            ImageConfig config = ManifestTrees.imageConfig(JsonTrees.read(raw));
            if (config == null) {
                throw ManifestException.invalid(subject, "the image config is empty", null);
            }
            return config;
        } catch (JacksonException | IllegalArgumentException e) {
            throw ManifestException.invalid(subject, "malformed image config: " + ManifestParser.rootMessage(e), e);
        }
    }
}
