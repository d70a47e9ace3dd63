package dev.ferry.cli;

import java.io.IOException;

/** A file the command writes beside its main work (e.g. {@code --digestfile}) that could not be written. */
final class OutputFileException extends IOException {

    OutputFileException(String message) {
        super(message);
    }
}
