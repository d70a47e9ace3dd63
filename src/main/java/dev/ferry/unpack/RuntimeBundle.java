package dev.ferry.unpack;

import dev.ferry.json.Json;
import dev.ferry.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OCI runtime bundle's {@code config.json}, derived from an image config as {@code umoci
 * unpack} derives it: the defaults {@code runc spec} writes (or {@code runc spec --rootless}:
 * a user namespace mapping root to the caller, no network namespace, /sys bound rather than
 * mounted), with the image's Env, Entrypoint and Cmd, WorkingDir and User.
 * A User given by name is refused: resolving it would mean reading the image's /etc/passwd,
 * and nothing from the tree is used for name lookups.
 */
public final class RuntimeBundle {

    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> CAPABILITIES = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private RuntimeBundle() {
    }

    /** The image's run-time settings, as its config's {@code config} object spells them. */
    public record Process(List<String> env, List<String> args, String cwd, long uid, long gid) {
    }

    /** Reads the run-time settings; a User that is not numeric is refused. */
    public static Process process(byte[] imageConfig) throws ManifestException {
        JsonNode config;
        try {
            config = Json.MAPPER.readTree(imageConfig).path("config");
        } catch (JacksonException e) {
            throw ManifestException.unsupported("the image config", "is not JSON: " + e.getOriginalMessage());
        }
        List<String> env = new ArrayList<>();
        List<String> imageEnv = strings(config.path("Env"));
        if (imageEnv.stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.add(DEFAULT_PATH);
        }
        env.add("TERM=xterm");
        env.addAll(imageEnv);
        List<String> args = new ArrayList<>(strings(config.path("Entrypoint")));
        args.addAll(strings(config.path("Cmd")));
        if (args.isEmpty()) {
            args.add("sh");
        }
        String cwd = config.path("WorkingDir").asString("");
        String user = config.path("User").asString("");
        long uid = 0;
        long gid = 0;
        if (!user.isEmpty()) {
            String[] parts = user.split(":", 2);
            if (!parts[0].matches("[0-9]{1,10}") || parts.length == 2 && !parts[1].matches("[0-9]{1,10}")) {
                throw ManifestException.unsupported("the image config", "its User names a user or group, which "
                        + "a bundle would resolve from the image's /etc/passwd; ferry reads nothing from the tree "
                        + "(give a numeric uid:gid)");
            }
            uid = Long.parseLong(parts[0]);
            gid = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
        }
        return new Process(List.copyOf(env), List.copyOf(args), cwd.isEmpty() ? "/" : cwd, uid, gid);
    }

    /**
     * Writes {@code bundle/config.json}; the tree is {@code bundle/rootfs}. Rootless, root in the
     * container is mapped to this process's real uid and gid.
     */
    public static void write(Path bundle, Process process, boolean rootless) throws IOException {
        Files.write(bundle.resolve("config.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(spec(process, rootless, hostId("Uid:"), hostId("Gid:"))));
    }

    /** This process's real uid or gid, from /proc (no name lookups). */
    private static long hostId(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("/proc/self/status has no " + field + " line");
    }

    static ObjectNode spec(Process process, boolean rootless, long hostUid, long hostGid) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("ociVersion", "1.0.2");
        ObjectNode proc = spec.putObject("process");
        proc.put("terminal", false);
        proc.putObject("user").put("uid", process.uid()).put("gid", process.gid());
        process.args().forEach(proc.putArray("args")::add);
        process.env().forEach(proc.putArray("env")::add);
        proc.put("cwd", process.cwd());
        ObjectNode caps = proc.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
            CAPABILITIES.forEach(caps.putArray(set)::add);
        }
        proc.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 1024).put("soft", 1024);
        proc.put("noNewPrivileges", true);
        spec.putObject("root").put("path", "rootfs").put("readonly", false);
        spec.put("hostname", "ferry");
        ArrayNode mounts = spec.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        if (rootless) {
            mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620");
        } else {
            mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620", "gid=5");
        }
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        if (rootless) {
            mount(mounts, "/sys", "none", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro");
        } else {
            mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        }
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        ObjectNode linux = spec.putObject("linux");
        if (rootless) {
            linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", hostUid).put("size", 1);
            linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", hostGid).put("size", 1);
        } else {
            linux.putObject("resources").putArray("devices").addObject().put("allow", false).put("access", "rwm");
        }
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String ns : rootless ? List.of("pid", "ipc", "uts", "mount", "user")
                : List.of("pid", "network", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", ns);
        }
        List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi")
                .forEach(linux.putArray("maskedPaths")::add);
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")
                .forEach(linux.putArray("readonlyPaths")::add);
        return spec;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode mount = mounts.addObject().put("destination", destination).put("type", type).put("source", source);
        if (options.length > 0) {
            List.of(options).forEach(mount.putArray("options")::add);
        }
    }

    private static List<String> strings(JsonNode array) throws ManifestException {
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray() || array.size() > 100_000) {
            throw ManifestException.unsupported("the image config", "holds a malformed list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isString()) {
                throw ManifestException.unsupported("the image config", "holds a list with a non-string item");
            }
            out.add(item.asString());
        }
        return out;
    }
}
