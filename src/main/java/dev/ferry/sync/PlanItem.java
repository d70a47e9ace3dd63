package dev.ferry.sync;

import dev.ferry.reference.ImageReference;

/**
 * One image of a round: the source tag (or digest) and where it goes.
 *
 * @param target the registry reference to write, or null for a layout target
 * @param layoutName the layout's ref.name ({@code path:tag}), or null for a registry target
 */
public record PlanItem(SyncRule rule, ImageReference source, ImageReference target, String layoutName) {

    public String targetName() {
        return target != null ? target.toString()
                : "oci:" + ((Target.Layout) rule.target()).dir() + ":" + layoutName;
    }
}
