package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryUnreachableException;
import dev.ferry.testing.Blob;
import dev.ferry.testing.TestImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** An image source and an image destination in memory, for testing the engine without HTTP or files. */
final class MemoryImages {

    private MemoryImages() {
    }

    /** A source holding images by tag; a body can be cut after some bytes, as a network would. */
    static final class Source implements ImageSource {
        final Map<String, Blob> manifests = new HashMap<>();
        final Map<Digest, byte[]> blobs = new HashMap<>();
        /** Blob requests in order, with the offset asked for. */
        final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        /** Bodies of these blobs end with a reset after this many bytes. */
        final Map<Digest, Integer> cutAfter = new ConcurrentHashMap<>();
        int resumeAttempts = 2;

        Source put(String tag, TestImage image) {
            manifests.put(tag, image.manifest());
            manifests.put(image.digest().toString(), image.manifest());
            blobs.put(image.config().digest(), image.config().bytes());
            image.layers().forEach(l -> blobs.put(l.digest(), l.bytes()));
            return this;
        }

        @Override
        public Manifest manifest(String reference) throws IOException {
            Blob blob = manifests.get(reference);
            if (blob == null) {
                throw new IOException("no manifest " + reference);
            }
            return ManifestParser.parse("manifest " + reference, blob.bytes(), blob.mediaType());
        }

        @Override
        public InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException {
            return new VerifyingInputStream(openBlobFrom(descriptor, 0, onAbort).body(), "blob", descriptor.digest(),
                    descriptor.size());
        }

        @Override
        public BlobRange openBlobFrom(Descriptor descriptor, long offset, Consumer<Runnable> onAbort) {
            requests.add(descriptor.digest().shortHex() + "@" + offset);
            byte[] bytes = blobs.get(descriptor.digest());
            InputStream rest = new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
            Integer cut = cutAfter.get(descriptor.digest());
            return new BlobRange(offset, cut == null ? rest : new InputStream() {
                int sent;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (sent >= cut) {
                        throw new RegistryUnreachableException("memory", "reading blob",
                                new SocketException("connection reset"));
                    }
                    int n = rest.read(b, off, Math.min(len, cut - sent));
                    sent += Math.max(n, 0);
                    return n;
                }
            });
        }

        @Override
        public int resumeAttempts() {
            return resumeAttempts;
        }

        @Override
        public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
            try (InputStream in = openBlob(descriptor, abort -> { })) {
                return in.readAllBytes();
            }
        }

        @Override
        public String name() {
            return "memory";
        }
    }

    /** A destination keeping blobs and manifests in maps, verifying each blob at its door. */
    static final class Destination implements ImageDestination {
        final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Map<Digest, BlobOutcome> reusable = new HashMap<>();
        /** Each put of these blobs fails this many times with a failure that may pass. */
        final Map<Digest, AtomicInteger> failures = new ConcurrentHashMap<>();
        int restartAttempts = 1;

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public boolean checksDiffIds() {
            return false;
        }

        @Override
        public BlobOutcome tryReuse(Descriptor blob) {
            return reusable.get(blob.digest());
        }

        @Override
        public BlobSink sink(Descriptor blob, Digest diffId) {
            return new BlobSink() {
                @Override
                public Attempt attempt(ImageSource source, LongConsumer progress, Consumer<Runnable> onAbort,
                        BooleanSupplier cancelled) throws IOException {
                    events.add("put " + blob.digest().shortHex());
                    AtomicInteger failing = failures.get(blob.digest());
                    if (failing != null && failing.getAndDecrement() > 0) {
                        return new Attempt.Restart(new IOException("upload reset"), true);
                    }
                    try (InputStream in = new VerifyingInputStream(source.openBlobFrom(blob, 0, onAbort).body(),
                            "blob " + blob.digest(), blob.digest(), blob.size())) {
                        blobs.put(blob.digest(), in.readAllBytes());
                    }
                    return new Attempt.Done(blob.size());
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void putBlob(Descriptor blob, byte[] bytes) throws IOException {
            if (!blob.digest().computeOver(bytes).equals(blob.digest())) {
                throw new VerificationException("blob " + blob.digest(), "wrong bytes");
            }
            blobs.put(blob.digest(), bytes);
        }

        @Override
        public void putManifest(Manifest manifest) {
            events.add("manifest " + manifest.digest().shortHex());
        }

        @Override
        public void commit(Manifest root) {
            events.add("commit " + root.digest().shortHex());
        }

        @Override
        public int restartAttempts() {
            return restartAttempts;
        }
    }
}
