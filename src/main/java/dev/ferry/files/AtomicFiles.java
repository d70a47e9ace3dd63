package dev.ferry.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.UUID;

/** Replaces files so that readers see the old or the new content, never a torn one. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** What to write into the new file, streamed. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to a temporary file beside {@code target}, fsyncs it and renames it over
     * {@code target}. A link at {@code target} is replaced by the file, never written through.
     *
     * @param attributes what the temporary file is created with (e.g. 0600 for a file of secrets),
     *     so that the content is never readable with looser permissions
     */
    public static void write(Path target, byte[] content, FileAttribute<?>... attributes) throws IOException {
        write(target, out -> out.write(content), attributes);
    }

    /**
     * As {@link #write(Path, byte[], FileAttribute[])}, with the content streamed into the temporary
     * file (an archive of any size). Closing the stream given to {@code content} only flushes it.
     */
    public static void write(Path target, Content content, FileAttribute<?>... attributes) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            // Created and opened in one step, never through a link: the directory may be shared.
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes)) {
                OutputStream out = new FilterOutputStream(Channels.newOutputStream(channel)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        this.out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                content.writeTo(out);
                out.flush();
                channel.force(false);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
