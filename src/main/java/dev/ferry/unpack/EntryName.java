package dev.ferry.unpack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry's name as path components below the root. Leading slashes are stripped (layers
 * are rooted at "/"), "." components dropped; "..", NUL and names beyond the limits are refused,
 * never cleaned into something else.
 */
record EntryName(List<String> components) {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    EntryName {
        components = List.copyOf(components);
    }

    /** Thrown for an entry the applier will not apply; the message says why. */
    static final class Refused extends Exception {
        private final LayerReport.Reason reason;

        Refused(String why) {
            this(LayerReport.Reason.UNSAFE, why);
        }

        Refused(LayerReport.Reason reason, String why) {
            super(why, null, false, false);
            this.reason = reason;
        }

        LayerReport.Reason reason() {
            return reason;
        }
    }

    static EntryName parse(String raw, UnpackLimits limits) throws Refused {
        if (raw.indexOf('\0') >= 0) {
            throw new Refused("the name holds a NUL character");
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > limits.maxNameBytes()) {
            throw new Refused("the name is longer than " + limits.maxNameBytes() + " bytes");
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new Refused("the name climbs out with \"..\"");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new Refused("a component is longer than 255 bytes");
            }
            parts.add(part);
            if (parts.size() > limits.maxDepth()) {
                throw new Refused("the name is deeper than " + limits.maxDepth() + " components");
            }
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).startsWith(WHITEOUT_PREFIX)) {
                throw new Refused("a directory component is a whiteout name");
            }
        }
        return new EntryName(parts);
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    String last() {
        return components.getLast();
    }

    List<String> parent() {
        return components.subList(0, components.size() - 1);
    }

    boolean isOpaqueMarker() {
        return !isRoot() && last().equals(OPAQUE);
    }

    boolean isWhiteout() {
        return !isRoot() && last().startsWith(WHITEOUT_PREFIX);
    }

    /** The name a plain whiteout hides; empty for the AUFS metadata names (".wh..wh.plnk" and such). */
    String hidden() {
        String name = last().substring(WHITEOUT_PREFIX.length());
        return name.startsWith(WHITEOUT_PREFIX) || name.isEmpty() || name.equals(".") || name.equals("..") ? "" : name;
    }

    @Override
    public String toString() {
        return String.join("/", components);
    }
}
