package dev.ferry.registry;

import dev.ferry.json.JsonFields;
import dev.ferry.json.JsonTrees;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.core.JacksonException;

/** Lists a repository's tags, page by page as the registry's {@code Link} headers lead. */
final class TagLister {

    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
    static final int MAX_PAGES = 10_000;
    private static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;
    /** All pages together: tag names are held in memory, and ferry runs in a small heap. */
    static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;

    private final RegistryEndpoint endpoint;
    private final Repository repository;
    private final List<String> scopes;
    private final int maxPages;
    private final long maxBytes;

    TagLister(RegistryEndpoint endpoint, Repository repository, List<String> scopes, int maxPages, long maxBytes) {
        this.endpoint = endpoint;
        this.repository = repository;
        this.scopes = scopes;
        this.maxPages = maxPages;
        this.maxBytes = maxBytes;
    }

    /**
     * @throws TagListTruncatedException when the registry links to more than the page limit, or
     *     its pages hold more than 64 MiB: the tags so far are in it, and nobody takes them for the
     *     whole list
     */
    List<String> all() throws IOException {
        String action = "listing tags";
        List<String> tags = new ArrayList<>();
        Set<HttpUrl> seen = new HashSet<>();
        long total = 0;
        HttpUrl url = endpoint.base().newBuilder().addPathSegments("v2/" + repository.path() + "/tags/list").build();
        // A link back to a page already read ends the list: those tags are in it.
        while (url != null && seen.add(url)) {
            if (seen.size() > maxPages) {
                throw new TagListTruncatedException(repository.name(), tags, "goes on past " + maxPages + " pages");
            }
            try (Response response = endpoint.send(new Request.Builder().url(url), scopes)) {
                RegistryClient.requireSuccess(response, action, repository.name());
                byte[] body = RegistryClient.readBody(response, MAX_PAGE_BYTES + 1, endpoint, "reading the tag list of "
                        + repository.name());
                if (body.length > MAX_PAGE_BYTES) {
                    throw RegistryException.invalidResponse(response.code(), action, repository.name(),
                            "a page of the tag list is larger than the " + MAX_PAGE_BYTES + " bytes ferry accepts");
                }
                total += body.length;
                if (total > maxBytes) {
                    throw new TagListTruncatedException(repository.name(), tags, "is larger than "
                            + maxBytes + " bytes");
                }
                List<String> page;
                try {
                    page = JsonFields.strings(JsonFields.object(JsonTrees.read(body), "tag list"), "tags", "tag list");
                } catch (JacksonException | IllegalArgumentException e) {
                    throw RegistryException.invalidResponse(response.code(), action, repository.name(),
                            "the tag list is not valid JSON" + contentTypeHint(response));
                }
                if (page != null) {
                    tags.addAll(page);
                }
                url = next(url, response.header("Link"));
            }
        }
        return tags;
    }

    private static String contentTypeHint(Response response) {
        String type = response.header("Content-Type");
        return type == null ? "" : " (Content-Type " + type + ")";
    }

    /**
     * The next page, resolved against the current URL: registries send relative links. Only the
     * link's path and query are used, as skopeo does, so the token never goes to another host.
     */
    static HttpUrl next(HttpUrl current, String link) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        HttpUrl target = m.find() ? current.resolve(m.group(1)) : null;
        return target == null ? null
                : current.newBuilder().encodedPath(target.encodedPath()).encodedQuery(target.encodedQuery()).build();
    }
}
