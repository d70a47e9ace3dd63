package dev.ferry.registry;

import java.util.List;

/**
 * A tag list that went on past the page or size limit: a registry linking page after page must not keep
 * ferry listing for ever, nor pass for the whole list. Holds the tags read up to the limit.
 */
public final class TagListTruncatedException extends RegistryException {

    private final List<String> partial;

    /** @param why how the list overran, e.g. "goes on past 10000 pages" */
    TagListTruncatedException(String repository, List<String> partial, String why) {
        super(Kind.INVALID_RESPONSE, 200, List.of(new RegistryError("INVALID_RESPONSE", "the tag list " + why
                + "; ferry stopped there, after " + partial.size() + " tags")), "listing tags", repository);
        this.partial = List.copyOf(partial);
    }

    /** The tags of the pages read before the limit, in the registry's order. */
    public List<String> partial() {
        return partial;
    }
}
