package dev.ferry.layout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The record beside a resumable partial file written in ranges, {@code <partial>.ranges}: how
 * many leading bytes are complete, in decimal. A run killed meanwhile leaves both files, and the
 * next trusts only that prefix of the partial file, never bytes past a gap.
 */
final class RangeRecord {

    private static final int MAX_BYTES = 32;

    private final LayoutFiles files;
    private final String entry;
    private FileChannel channel;

    RangeRecord(LayoutFiles files, String partial) {
        this.files = files;
        this.entry = partial + ".ranges";
    }

    /**
     * The complete prefix a run recorded, at most {@code length} (what the partial file holds); -1
     * when there is no record. A record that is no regular file of its own (a planted link) is
     * removed and trusts nothing; one that does not read as a number trusts nothing either.
     */
    long read(long length) throws IOException {
        BasicFileAttributes found = files.attributes(entry);
        if (found == null) {
            return -1;
        }
        if (!found.isRegularFile() || files.hasOtherNames(entry)) {
            files.deleteIfExists(entry); // never written through
            return 0;
        }
        String text = found.size() <= MAX_BYTES
                ? new String(files.readSmall(entry, MAX_BYTES), StandardCharsets.US_ASCII).trim() : "";
        return text.matches("[0-9]{1,18}") ? Math.min(Long.parseLong(text), length) : 0;
    }

    /**
     * Records the complete prefix. Fixed width, so one positional write replaces the whole record.
     * Not forced to disk: a record ahead of the data after a crash only means the resumed blob
     * fails its digest and is fetched again from zero.
     */
    void write(long prefix) throws IOException {
        if (channel == null) {
            channel = files.openToWrite(entry, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        ByteBuffer text = ByteBuffer.wrap(String.format("%018d%n", prefix).getBytes(StandardCharsets.US_ASCII));
        while (text.hasRemaining()) {
            channel.write(text, text.position());
        }
    }

    /** The partial file is written in order again, or is gone: so is the record. */
    void delete() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        files.deleteIfExists(entry);
    }
}
