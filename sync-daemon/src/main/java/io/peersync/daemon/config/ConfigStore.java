package io.peersync.daemon.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Loads and atomically saves {@link DaemonConfig}; every change is on disk before it is acknowledged. */
public final class ConfigStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private DaemonConfig current;

    private ConfigStore(Path file, DaemonConfig current) {
        this.file = file;
        this.current = current;
    }

    public static ConfigStore open(Path home) {
        Path file = home.resolve("config.json");
        if (!Files.exists(file)) {
            return new ConfigStore(file, DaemonConfig.empty());
        }
        try {
            return new ConfigStore(file, JSON.readValue(file.toFile(), DaemonConfig.class));
        } catch (IOException e) {
            throw new IllegalStateException("The configuration file " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    public synchronized DaemonConfig get() {
        return current;
    }

    /** Applies a change and persists it (temp file, then atomic rename; mode 0600: it holds secrets). */
    public synchronized DaemonConfig update(UnaryOperator<DaemonConfig> change) {
        DaemonConfig next = change.apply(current);
        try {
            AtomicFiles.write(file, JSON.writeValueAsString(next), "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
        current = next;
        return next;
    }
}
