package dev.ferry.cli;

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
