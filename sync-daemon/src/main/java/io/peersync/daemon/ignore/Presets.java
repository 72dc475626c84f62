package io.peersync.daemon.ignore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Ready-made ignore files for common kinds of folder, shipped as resources next to this class; a preset is text to
 * write into a folder's {@code .peersyncignore}, where the user can then edit it.
 */
public final class Presets {
    private static final Map<String, String> RESOURCES = Map.of("wordpress", "wordpress.peersyncignore");
    private static final SortedSet<String> NAMES = Collections.unmodifiableSortedSet(new TreeSet<>(RESOURCES.keySet()));

    private Presets() {
    }

    /** The preset names, sorted. */
    public static Set<String> names() {
        return NAMES;
    }

    /** The text of the preset called {@code name}, or empty when there is no such preset. */
    public static Optional<String> text(String name) {
        String resource = RESOURCES.get(Objects.requireNonNull(name, "name"));
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = Presets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("preset " + name + ": resource " + resource + " missing from the jar");
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("preset " + name + ": reading resource " + resource, e);
        }
    }
}
