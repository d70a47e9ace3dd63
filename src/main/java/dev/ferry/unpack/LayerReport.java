package dev.ferry.unpack;

import java.util.List;

/**
 * What one layer did to the tree.
 *
 * @param layer    the name the caller gave (usually the layer's digest)
 * @param applied  entries written, linked, whited out or made opaque
 * @param skipped  entries (or parts of them, such as one xattr) not applied, each with why; names
 *                 are as the layer spelled them and may hold any character, so print them through
 *                 {@link Skipped#printableName()}. At most {@link #MAX_LISTED} are listed.
 * @param unlisted how many more were skipped than are listed
 */
public record LayerReport(String layer, long applied, List<Skipped> skipped, long unlisted) {

    /** A crafted layer of a million device nodes must not make a million report lines. */
    public static final int MAX_LISTED = 1000;

    public LayerReport {
        skipped = List.copyOf(skipped);
    }

    /** Entries skipped in all, listed or not. */
    public long skippedCount() {
        return skipped.size() + unlisted;
    }

    /** Why an entry was left out. */
    public enum Reason {
        /** It would have reached outside the root, or named the root itself as a non-directory. */
        UNSAFE,
        /** It cannot be made without privileges (device nodes when rootless), or is not a kind ferry makes. */
        UNSUPPORTED,
        /** It refers to something that is not there (a hard link to a missing file, a parent that is a file). */
        INCONSISTENT
    }

    /**
     * One entry (or part of one) not applied. {@code detail} is ferry's text with any name from the
     * layer already escaped; {@code name} is as the layer spelled it.
     */
    public record Skipped(String name, Reason reason, String detail) {

        public Skipped {
            detail = printable(detail);
        }

        /** The name with control and non-ASCII characters escaped, safe to print on a terminal. */
        public String printableName() {
            return printable(name);
        }

        private static String printable(String text) {
            StringBuilder out = new StringBuilder();
            text.codePoints().forEach(c -> {
                if (c >= 0x20 && c < 0x7f && c != '\\') {
                    out.appendCodePoint(c);
                } else {
                    out.append(String.format("\\u%04x", c));
                }
            });
            return out.toString();
        }
    }
}
