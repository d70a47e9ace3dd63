package dev.ferry.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.MediaType;
import dev.ferry.registry.RegistryError;
import dev.ferry.registry.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FetchesTest {

    static final RegistryException UNAVAILABLE = new RegistryException(RegistryException.Kind.SERVER, 503,
            List.of(new RegistryError("UNAVAILABLE", "down")), "fetching manifest", "registry.example/app@sha256:...");

    /** A source that records every manifest asked for, failing for one digest. */
    static final class Source implements InspectedSource {
        final List<Digest> asked = new CopyOnWriteArrayList<>();
        final CountDownLatch failing = new CountDownLatch(1);
        final Digest failFor;

        Source(Digest failFor) {
            this.failFor = failFor;
        }

        @Override
        public Manifest manifest(String reference) throws IOException {
            Digest digest = Digest.parse(reference);
            asked.add(digest);
            if (digest.equals(failFor)) {
                failing.countDown();
                throw UNAVAILABLE;
            }
            byte[] raw = rawOf(digest);
            return new ImageManifest(MediaType.OCI_MANIFEST, raw, digest, descriptor(0), List.of(), null);
        }

        @Override
        public byte[] blobBytes(Descriptor descriptor, int maxBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> tags() {
            return List.of();
        }

        @Override
        public String name() {
            return "registry.example/app";
        }
    }

    /** The bytes whose digest {@link #descriptor(int)} names (a manifest's digest must be its bytes'). */
    static byte[] rawOf(Digest digest) {
        for (int n = 0; n < 100; n++) {
            if (descriptor(n).digest().equals(digest)) {
                return ("m" + n).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no test manifest has " + digest);
    }

    static Descriptor descriptor(int n) {
        return new Descriptor(MediaType.OCI_MANIFEST.value(), Digest.sha256(("m" + n).getBytes(StandardCharsets.UTF_8)), 10);
    }

    @Test
    void aDigestNamedManyTimesIsAskedForOnceWhoeverAsksFirst() throws Exception {
        Source source = new Source(null);
        try (Fetches fetches = new Fetches(source, 4)) {
            for (int i = 0; i < 100; i++) {
                fetches.prefetch(descriptor(i % 3));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(descriptor(i % 3).digest(), fetches.manifest(descriptor(i % 3)).digest());
            }
        }
        assertEquals(3, source.asked.size(), source.asked.toString());
    }

    @Test
    void afterAFailureNoFetchStartsAndEveryCallerGetsThatFirstFailure() throws Exception {
        Source source = new Source(descriptor(0).digest());
        List<Descriptor> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(descriptor(i));
        }
        try (Fetches fetches = new Fetches(source, 1)) {
            entries.forEach(fetches::prefetch);
            source.failing.await();
            for (Descriptor d : entries) {
                assertSame(UNAVAILABLE, assertThrows(RegistryException.class, () -> fetches.manifest(d)));
            }
            assertSame(UNAVAILABLE, assertThrows(RegistryException.class, () -> fetches.call(() -> "config")));
        }
        assertEquals(List.of(descriptor(0).digest()), source.asked);
    }
}
