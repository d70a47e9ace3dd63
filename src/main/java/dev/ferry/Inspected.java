package dev.ferry;

import dev.ferry.inspect.InspectedSource;
import dev.ferry.inspect.Inspector;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.RegistryClient;
import dev.ferry.transfer.ImageSource;
import dev.ferry.transfer.LayoutSource;
import dev.ferry.transfer.RegistrySource;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** What an inspection reads: a pull's source, and the repository whose tags it lists (none for a layout). */
record Inspected(ImageSource source, String name, RegistryClient tagged) implements InspectedSource {

    /** An inspector of a registry repository, whose tags it lists. */
    static Inspector inspector(RegistryClient client, PrintStream warnings) {
        return new Inspector(new Inspected(new RegistrySource(client), client.repository().name(), client), warnings);
    }

    /** An inspector of a layout's images, which has no tag list. */
    static Inspector inspector(LayoutSource layout, PrintStream warnings) {
        return new Inspector(new Inspected(layout, null, null), warnings);
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        return source.manifest(reference);
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        return source.manifest(child);
    }

    @Override
    public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
        return source.blobBytes(descriptor, maxBytes);
    }

    @Override
    public List<String> tags() throws IOException {
        return tagged == null ? List.of() : tagged.tags();
    }
}
