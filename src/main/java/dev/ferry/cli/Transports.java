package dev.ferry.cli;

import dev.ferry.location.ImageLocation;
import dev.ferry.location.LocationFormatException;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses skopeo-style {@code transport:reference} arguments. */
final class Transports {

    static final String DOCKER = "docker://";
    private static final Pattern TRANSPORT = Pattern.compile("([a-z][a-z0-9-]*):(//)?(.*)");

    private Transports() {
    }

    /** A {@code docker://REF} argument; the transport is required, as skopeo requires it. */
    static ImageReference docker(String argument) {
        return ImageReference.parse(stripDocker(argument));
    }

    static Repository dockerRepository(String argument) {
        return ImageReference.parseRepository(stripDocker(argument));
    }

    /** skopeo's other transports: named so that a user who types one is told, not misparsed. */
    private static final Pattern OTHER_TRANSPORT = Pattern.compile(
            "(oci|oci-archive|dir|docker-archive|docker-daemon|containers-storage|sif|tarball):.*");

    /** For pull: {@code docker://} may be left out. */
    static ImageReference dockerOptional(String argument) {
        if (argument.startsWith(DOCKER)) {
            return docker(argument);
        }
        Matcher other = OTHER_TRANSPORT.matcher(argument);
        if (other.matches() || argument.matches("[a-z][a-z0-9-]*://.*")) {
            String transport = argument.substring(0, argument.indexOf(':'));
            throw new UsageException("unsupported transport '" + transport + "' in '" + argument
                    + "': pull reads docker://REFERENCE");
        }
        return ImageReference.parse(argument);
    }

    /**
     * An image argument: {@code docker://REFERENCE}, {@code oci:DIR[:TAG]} or
     * {@code oci-archive:FILE[:TAG]}, parsed by the library; {@code role} names it in messages.
     */
    static ImageLocation imageLocation(String argument, String role) {
        try {
            return ImageLocation.parse(argument, role);
        } catch (LocationFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String stripDocker(String argument) {
        if (argument.startsWith(DOCKER)) {
            return argument.substring(DOCKER.length());
        }
        Matcher m = TRANSPORT.matcher(argument);
        // "host:5000/repo" and "alpine:3.19" are references without a transport, not transports.
        if (m.matches() && (m.group(2) != null || !m.group(3).matches("[0-9].*"))) {
            throw new UsageException("unknown transport '" + m.group(1) + "' in '" + argument
                    + "': this command reads docker://REFERENCE");
        }
        throw new UsageException("'" + argument + "' names no transport: write docker://" + argument);
    }
}
