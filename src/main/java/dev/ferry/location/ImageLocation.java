package dev.ferry.location;

import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryAccess;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an image is, in skopeo's {@code transport:reference} spelling: a registry
 * ({@code docker://REF}), an OCI layout ({@code oci:DIR[:NAME]}) or a tar of one
 * ({@code oci-archive:FILE[:NAME]}). Each knows the name it is shown by in messages.
 */
public sealed interface ImageLocation {

    /** The location as messages and summaries name it. */
    String displayName();

    /** An image in a registry, with the options to reach it (credentials, TLS). */
    record Docker(ImageReference ref, RegistryAccess access) implements ImageLocation {
        public Docker(ImageReference ref) {
            this(ref, RegistryAccess.anonymous());
        }

        public Docker withAccess(RegistryAccess newAccess) {
            return new Docker(ref, newAccess);
        }

        @Override
        public String displayName() {
            return ref.toString();
        }
    }

    /** {@code oci:DIR[:NAME]}; the name is null when left out (the layout's only image). */
    record Oci(Path dir, String name) implements ImageLocation {
        @Override
        public String displayName() {
            return "oci:" + dir + (name != null ? ":" + name : "");
        }
    }

    /** {@code oci-archive:FILE[:NAME]}: an OCI layout in one tar file, as skopeo writes it. */
    record OciArchive(Path file, String name) implements ImageLocation {
        @Override
        public String displayName() {
            return "oci-archive:" + file + (name != null ? ":" + name : "");
        }
    }

    /**
     * {@code docker-archive:FILE[:NAME:TAG|:@INDEX]}: a {@code docker save} tar; {@code -} is standard
     * input or output. {@code name} (NAME:TAG) or {@code index} (from 0) picks one image of several;
     * null and -1 when left out. {@code uncompressedLayers} writes layers as plain tars.
     */
    record DockerArchive(Path file, String name, int index, boolean uncompressedLayers) implements ImageLocation {
        public DockerArchive(Path file, String name, int index) {
            this(file, name, index, false);
        }

        /** Written with plain tar layers (as Docker up to 24 wrote them), for consumers that read no other. */
        public DockerArchive withUncompressedLayers() {
            return new DockerArchive(file, name, index, true);
        }

        public boolean standardStream() {
            return file.toString().equals("-");
        }

        @Override
        public String displayName() {
            return "docker-archive:" + file + (name != null ? ":" + name : index >= 0 ? ":@" + index : "");
        }
    }

    String DOCKER = "docker://";
    Pattern TRANSPORT = Pattern.compile("([a-z][a-z0-9-]*):(//)?(.*)");
    Pattern NAME = Pattern.compile(
            "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");

    /**
     * Parses an image argument; {@code role} ("source", "destination", "image") names it in
     * messages.
     *
     * @throws LocationFormatException when the argument names no transport ferry reads
     * @throws dev.ferry.reference.ReferenceFormatException when a registry reference is malformed
     */
    static ImageLocation parse(String argument, String role) {
        if (argument.startsWith(DOCKER)) {
            return new Docker(ImageReference.parse(argument.substring(DOCKER.length())));
        }
        if (argument.startsWith("oci:")) {
            return oci(argument);
        }
        if (argument.startsWith("oci-archive:")) {
            Oci layout = oci("oci:" + argument.substring("oci-archive:".length()));
            return new OciArchive(layout.dir(), layout.name());
        }
        if (argument.startsWith("docker-archive:")) {
            return dockerArchive(argument);
        }
        Matcher m = TRANSPORT.matcher(argument);
        String transport = m.matches() && !m.group(3).matches("[0-9].*") ? m.group(1) : null;
        throw new LocationFormatException(transport != null
                ? "unsupported transport '" + transport + "' in " + role + " '" + argument
                        + "': write docker://REFERENCE, oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE[:NAME:TAG]"
                : role + " '" + argument + "' names no transport: write docker://" + argument + " or oci:DIR[:TAG]");
    }

    /** {@code oci:DIR[:NAME]}: the name is what follows the last colon. */
    static Oci oci(String argument) {
        String rest = argument.substring("oci:".length());
        int colon = rest.lastIndexOf(':');
        String dir = colon < 0 ? rest : rest.substring(0, colon);
        String name = colon < 0 ? null : rest.substring(colon + 1);
        if (dir.isEmpty()) {
            throw new LocationFormatException("'" + argument + "' names no directory: write oci:DIR[:TAG]");
        }
        if (name != null && !NAME.matcher(name).matches()) {
            throw new LocationFormatException("invalid image name '" + name + "' in '" + argument + "'");
        }
        return new Oci(Path.of(dir), name);
    }

    /** skopeo's syntax: the file is what comes before the first colon, then NAME:TAG or @INDEX. */
    static DockerArchive dockerArchive(String argument) {
        String rest = argument.substring("docker-archive:".length());
        int colon = rest.indexOf(':');
        String file = colon < 0 ? rest : rest.substring(0, colon);
        String selector = colon < 0 ? null : rest.substring(colon + 1);
        if (file.isEmpty()) {
            throw new LocationFormatException("'" + argument + "' names no file: write docker-archive:FILE[:NAME:TAG]");
        }
        if (selector == null) {
            return new DockerArchive(Path.of(file), null, -1);
        }
        if (selector.matches("@[0-9]{1,6}")) {
            return new DockerArchive(Path.of(file), null, Integer.parseInt(selector.substring(1)));
        }
        try {
            ImageReference ref = ImageReference.parse(selector);
            if (ref.digest() == null && selector.lastIndexOf(':') > selector.lastIndexOf('/')) {
                return new DockerArchive(Path.of(file), selector, -1);
            }
        } catch (IllegalArgumentException e) {
            // refused below, in the words of this transport
        }
        throw new LocationFormatException("invalid image '" + selector + "' in '" + argument
                + "': write docker-archive:FILE:NAME:TAG or docker-archive:FILE:@INDEX");
    }
}
