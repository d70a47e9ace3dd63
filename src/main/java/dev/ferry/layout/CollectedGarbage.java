package dev.ferry.layout;

/** What a garbage collection of a layout removed: how many blob files, and their bytes. */
public record CollectedGarbage(int blobs, long bytes) {
}
