package dev.ferry.reference;

import dev.ferry.digest.Digest;
import dev.ferry.digest.InvalidDigestException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed image reference {@code [host[:port]/]path[:tag][@algo:hex]} following Docker's reference
 * grammar, with Docker's defaults applied: {@code docker.io}, {@code library/} for one-component Hub
 * names, and {@code latest} when neither tag nor digest is given. When both are given, the digest
 * decides what is fetched and the tag is kept for naming.
 */
public record ImageReference(Repository repository, String tag, Digest digest) {

    public static final String DEFAULT_TAG = "latest";
    static final int NAME_MAX = 255;

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");

    public ImageReference {
        Objects.requireNonNull(repository, "repository");
    }

    public Registry registry() {
        return repository.registry();
    }

    /** Parses a reference and applies the defaults; throws {@link ReferenceFormatException}. */
    public static ImageReference parse(String text) {
        return parse(text, true);
    }

    /**
     * Parses a reference that names a repository only (no tag or digest), as {@code list-tags}
     * takes.
     */
    public static Repository parseRepository(String text) {
        ImageReference ref = parse(text, false);
        if (ref.tag() != null || ref.digest() != null) {
            throw new ReferenceFormatException(text, "a repository was expected: leave out the tag and digest");
        }
        return ref.repository();
    }

    private static ImageReference parse(String text, boolean defaultTag) {
        if (text == null || text.isEmpty()) {
            throw new ReferenceFormatException("", "the reference is empty");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (InvalidDigestException e) {
                throw new ReferenceFormatException(text, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new ReferenceFormatException(text, "invalid tag '" + tag
                        + "': tags are up to 128 of letters, digits, '_', '.' and '-', not starting with '.' or '-'");
            }
        }
        if (rest.isEmpty()) {
            throw new ReferenceFormatException(text, "the repository name is empty");
        }
        if (rest.length() > NAME_MAX) {
            throw new ReferenceFormatException(text, "the repository name is longer than " + NAME_MAX + " characters");
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT)))) {
            domain = first;
            path = rest.substring(slash + 1);
            if (!DOMAIN.matcher(domain).matches()) {
                throw new ReferenceFormatException(text, "invalid registry host '" + domain + "'");
            }
        } else {
            domain = Registry.DOCKER_HUB;
            path = rest;
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            throw new ReferenceFormatException(text, "repository name must be lowercase");
        }
        if (!PATH.matcher(path).matches()) {
            throw new ReferenceFormatException(text, "invalid repository name '" + path
                    + "': path components are lowercase letters and digits, separated by '.', '_', '__' or '-'");
        }
        Registry registry = new Registry(domain);
        if (registry.name().equals(Registry.DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (tag == null && digest == null && defaultTag) {
            tag = DEFAULT_TAG;
        }
        return new ImageReference(new Repository(registry, path), tag, digest);
    }

    /** What to put in {@code /v2/<name>/manifests/<reference>}: the digest when there is one. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    /** This reference with its digest replaced, e.g. to name one platform's manifest. */
    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(repository, null, newDigest);
    }

    @Override
    public String toString() {
        return repository.name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
