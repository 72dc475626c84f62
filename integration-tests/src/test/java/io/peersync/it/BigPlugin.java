package io.peersync.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The WordPress test plugin "big" as a zip like wordpress.org's: {@code big/big.php} requires its {@code FILES - 1}
 * other files, each of which records the version it belongs to, so the reader page ({@code reader.php}) can tell a
 * whole version from a mix or a missing plugin.
 */
final class BigPlugin {
    static final int FILES = 1500;
    static final String MAIN = "big/big.php";

    private BigPlugin() {
    }

    /** Writes version {@code v} of the plugin as {@code dir/big-V.zip}. */
    static Path zip(Path dir, int v) throws IOException {
        Path zip = dir.resolve("big-" + v + ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            StringBuilder main = new StringBuilder("<?php\n/**\n * Plugin Name: Big\n * Version: " + v
                    + ".0\n */\ndefine('BIG_VERSION', " + v + ");\n");
            for (int i = 1; i < FILES; i++) {
                String name = String.format("includes/part-%04d.php", i);
                main.append("require __DIR__ . '/").append(name).append("';\n");
                // Some bulk, as real plugin files have: about 8 KB each.
                String body = "<?php\n// part " + i + " of version " + v + "\n" + ("// " + "x".repeat(60) + "\n")
                        .repeat(128) + "$GLOBALS['big_loaded'][] = " + v + ";\n";
                put(z, "big/" + name, body);
            }
            put(z, MAIN, main.toString());
        }
        return zip;
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    /** Regular files in a wp-content that sync (not its own .peersync/, not the ignored upgrade/). */
    static int syncedFiles(Path content) throws IOException {
        try (Stream<Path> all = Files.walk(content)) {
            return (int) all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(content::relativize)
                    .filter(p -> !p.startsWith(".peersync") && !p.startsWith("upgrade")).count();
        }
    }

    /** How many change sets of at least {@code size} entries a node applied to folder {@code id}, from its log. */
    static long setsOfAtLeast(DaemonProcess node, String id, int size) {
        Pattern p = Pattern.compile("applied a change set of (\\d+) entries");
        return node.logLines("applied a change set of").stream().filter(l -> l.contains(id)).map(p::matcher)
                .filter(Matcher::find).filter(m -> Integer.parseInt(m.group(1)) >= size).count();
    }
}
