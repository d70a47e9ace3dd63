package dev.ferry.sync;

import dev.ferry.reference.ImageReference;
import dev.ferry.digest.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Turns rules into images: a rule's named tags as they are, or the tags its source lists (one GET
 * of the tag list, never a manifest) filtered by allow and deny.
 */
public final class Planner {

    /** The tag grammar of the distribution spec: a listed name that is not a tag is left out. */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final int MAX_TAGS_PER_RULE = 100_000;

    private final Syncer syncer;

    Planner(Syncer syncer) {
        this.syncer = syncer;
    }

    /**
     * @param items the images, in rule order
     * @param failures a message per rule whose tags could not be listed
     * @param listed the tags each rule listed, for pruning (rules whose listing failed are absent)
     */
    public record Plan(List<PlanItem> items, List<ImageReport> failures, Map<SyncRule, List<String>> listed) {
    }

    Plan plan(List<SyncRule> rules) {
        // the tag lists are fetched side by side (each rule is one request or a few pages); the
        // plan keeps the rules' order
        int threads = Math.max(1, Math.min(rules.size(), syncer.config().settings().concurrency()));
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("ferry-plan-", 0).factory());
        List<Future<List<String>>> listings = new ArrayList<>();
        try {
            for (SyncRule rule : rules) {
                listings.add(pool.submit(() -> rule.tags() != null ? rule.tags() : listTags(rule)));
            }
            List<PlanItem> items = new ArrayList<>();
            List<ImageReport> failures = new ArrayList<>();
            Map<SyncRule, List<String>> listed = new ConcurrentHashMap<>();
            for (int i = 0; i < rules.size(); i++) {
                SyncRule rule = rules.get(i);
                List<String> refs;
                try {
                    refs = listings.get(i).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    failures.add(new ImageReport(ImageReport.FAILED, rule.source().name(), target(rule), null, null, 0,
                            Map.of(), "listing tags: " + Printable.of(cause.getMessage())));
                    continue;
                }
                listed.put(rule, refs);
                for (String ref : refs) {
                    items.add(item(rule, ref));
                }
            }
            return new Plan(items, failures, listed);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> listTags(SyncRule rule) throws Exception {
        List<String> all = syncer.clients().client(rule.source(), syncer.access(rule.source())).tags();
        List<String> wanted = new ArrayList<>();
        for (String tag : all.subList(0, Math.min(all.size(), MAX_TAGS_PER_RULE))) {
            if (TAG.matcher(tag).matches() && rule.wants(tag)) {
                wanted.add(tag);
            }
        }
        return wanted;
    }

    static PlanItem item(SyncRule rule, String ref) {
        boolean digest = ref.startsWith("sha256:");
        ImageReference source = new ImageReference(rule.source(), digest ? null : ref, digest ? Digest.parse(ref) : null);
        return switch (rule.target()) {
            case Target.RegistryRepo repo -> new PlanItem(rule, source, new ImageReference(repo.repository(),
                    digest ? null : repo.tag() != null ? repo.tag() : ref, digest ? Digest.parse(ref) : null), null);
            case Target.Layout layout -> new PlanItem(rule, source, null,
                    rule.source().path() + (digest ? "@" : ":") + ref);
        };
    }

    static String target(SyncRule rule) {
        return switch (rule.target()) {
            case Target.RegistryRepo repo -> repo.repository().name();
            case Target.Layout layout -> "oci:" + layout.dir();
        };
    }
}
