package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.dockerarchive.DockerArchives;
import dev.ferry.inspect.Inspection;
import dev.ferry.inspect.Inspector;
import dev.ferry.location.ArchiveWork;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.template.GoTemplate;
import dev.ferry.template.TemplateException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class InspectCommand implements Callable<Integer> {

    final FerryCommand root;
    private ArchiveWork archives;
    boolean rawManifest;
    boolean config;
    String format;
    boolean noTags;
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    String image;

    InspectCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "inspect", false,
                "Describe an image in a registry without pulling it, or an image of an OCI layout.",
                "Prints skopeo's fields, plus the image ID, each layer's diff_id, the history mapped onto the layers, "
                + "and for a multi-platform image every platform with its manifest digest and image ID.");
        Specs.examples(spec, "  ferry inspect docker://reg.example/app:1.0",
                "  ferry inspect --format '{{.Digest}}' docker://reg.example/app:1.0",
                "  ferry inspect --override-arch arm64 --config docker://reg.example/app:latest",
                "  ferry inspect oci:./layout:1.0");
        Specs.add(spec, Specs.flag(v -> rawManifest = v, "--raw")
                .description("Print the manifest exactly as served (the index for a multi-platform image); "
                    + "with --config, the config as --config prints it."),
            Specs.flag(v -> config = v, "--config")
                .description("Print the image config exactly as stored, verified against its digest "
                    + "(skopeo's --config --raw; --raw may be given too)."),
            Specs.text(v -> format = v, "-f", "--format").paramLabel("TEMPLATE")
                .description("Print the output through a Go template, as skopeo does, e.g. '{{.Digest}}' or "
                    + "'{{range .RepoTags}}{{.}} {{end}}' (fields, |, if/with/range, index, len, printf, json, join)."),
            Specs.flag(v -> noTags = v, "-n", "--no-tags")
                .description("Do not list the repository's tags (RepoTags stays empty)."));
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("IMAGE")
                .description("docker://REFERENCE (e.g. docker://registry.example/app:1.0), "
                    + "oci:DIR[:NAME] (an image of an OCI layout) or oci-archive:FILE[:NAME] (of a layout in a tar)."));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        ImageLocation location = Transports.imageLocation(image, "image");
        GoTemplate template = template();
        ArchiveWork work = new ArchiveWork();
        archives = work;
        try (work; Ferry ferry = root.ferry()) {
            switch (readable(location, work)) {
                case ImageLocation.Docker docker -> {
                    ImageReference ref = docker.ref();
                    RegistryAccess access = registry.access(ref.repository());
                    if (config) {
                        root.out.write(ferry.rawConfig(ref, access, platform.platform()));
                    } else if (rawManifest) {
                        root.out.write(ferry.rawManifest(ref, access));
                    } else {
                        print(template, ferry.inspect(ref, access, platform.platform(), !noTags));
                    }
                }
                case ImageLocation.Oci oci -> {
                    if (config) {
                        root.out.write(ferry.rawConfig(oci.dir(), oci.name(), platform.platform()));
                    } else if (rawManifest) {
                        root.out.write(ferry.rawManifest(oci.dir(), oci.name()));
                    } else {
                        print(template, ferry.inspect(oci.dir(), oci.name(), platform.platform()));
                    }
                }
                case ImageLocation.OciArchive archive -> throw new IllegalStateException("not unpacked: " + archive);
                case ImageLocation.DockerArchive archive -> throw new IllegalStateException("not read: " + archive);
            }
            root.out.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * The image as a registry's or a layout's: an archive is read into a work directory beside it
     * first. An oci-archive is unpacked without its layers, as manifests and configs have size
     * limits and no blob above the larger one is worth unpacking; a docker-archive's layers are
     * checked against their diff_ids as it is read, all of them.
     */
    private ImageLocation readable(ImageLocation location, ArchiveWork work) throws IOException {
        return switch (location) {
            case ImageLocation.OciArchive archive -> new ImageLocation.Oci(
                    work.unpack(archive.file(), Inspector.MAX_CONFIG_BYTES), archive.name());
            case ImageLocation.DockerArchive archive -> {
                DockerArchives opened = DockerArchives.open(archive.file(), work.forDockerArchive(archive.file()),
                        archive.displayName(), root.in, TerminalText.lines(root.err));
                yield new ImageLocation.Oci(opened.layoutDir(),
                        opened.select(archive.name(), archive.index()).manifest().digest().toString());
            }
            case ImageLocation.Docker docker -> docker;
            case ImageLocation.Oci oci -> oci;
        };
    }

    private void print(GoTemplate template, Inspection inspection) {
        if (template == null) {
            JsonOutput.print(root.out, inspection.tree());
        } else {
            root.out.print(render(template, inspection));
        }
    }

    /** The parsed {@code --format}, or null: refused before anything is fetched when it does not parse. */
    private GoTemplate template() {
        if (format == null) {
            return null;
        }
        if (rawManifest || config) {
            throw new UsageException("--format formats the inspection: leave out " + (config ? "--config" : "--raw"));
        }
        // As skopeo (containers/common's report): a written \t is a tab, and the output ends its line.
        String text = format.replace("\\t", "\t");
        try {
            return GoTemplate.parse(text.endsWith("\n") ? text : text + "\n");
        } catch (TemplateException e) {
            throw new UsageException("--format: " + e.getMessage());
        }
    }

    private static String render(GoTemplate template, Inspection inspection) {
        try {
            // Registry-supplied strings are escaped; the template's own text is the user's and stays as written.
            return template.render(TerminalText.values(inspection.templateData()));
        } catch (TemplateException e) {
            throw new UsageException("--format: " + e.getMessage());
        }
    }

    /** A message with the work directories of oci-archive: arguments named as their archives. */
    String describe(String message) {
        return archives == null ? message : ArchiveWork.describe(message);
    }
}
