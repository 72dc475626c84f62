package io.peersync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing and reading small text files in the scenarios' folders. */
final class TestFiles {
    private TestFiles() {
    }

    /** Writes {@code content} as UTF-8, creating the parent directories. */
    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** The file's text, or null when it cannot be read (not there yet, or gone). */
    static String readOrNull(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
