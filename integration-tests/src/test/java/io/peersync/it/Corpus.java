package io.peersync.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The WordPress tree the sync tests and the benchmark share: Debian's {@code wordpress} package copied with
 * symlinks resolved, or, where that package is missing, a generated tree of the same size and shape.
 *
 * <p>JDK only, so {@code bench/initial-sync.sh} can run it as a single source file:
 * {@code java integration-tests/src/test/java/io/peersync/it/Corpus.java DEST}.
 */
public final class Corpus {
    /** Where Debian's {@code wordpress} package installs the tree. */
    public static final Path WORDPRESS = Path.of("/usr/share/wordpress");

    private static final long SEED = 20240624L;
    private static final int GENERATED_FILES = 2760;
    private static final FileTime GENERATED_MTIME = FileTime.fromMillis(1719230400000L);

    private Corpus() {
    }

    /** What {@link #materialize} put where, for the test log and the benchmark's output. */
    public record Summary(String source, int files, int dirs, long bytes, List<String> skipped) {
        @Override
        public String toString() {
            return "corpus from " + source + ": " + files + " files, " + dirs + " dirs, " + bytes + " bytes"
                    + (skipped.isEmpty() ? "" : "; skipped " + skipped.size() + ": " + skipped);
        }
    }

    /** Fills {@code dest} (created if missing) with the corpus and says, on stdout, where it came from. */
    public static Summary materialize(Path dest) throws IOException {
        Files.createDirectories(dest);
        Summary summary;
        if (Files.isDirectory(WORDPRESS)) {
            summary = copyResolvingLinks(WORDPRESS, dest);
        } else {
            System.out.println("wordpress package not installed (" + WORDPRESS + " is missing): "
                    + "using a generated WordPress-shaped tree");
            summary = generate(dest);
        }
        System.out.println(summary);
        return summary;
    }

    /** {@code java Corpus.java [--generated] DEST}: {@code --generated} forces the fallback tree. */
    public static void main(String[] args) throws IOException {
        boolean generated = args.length == 2 && args[0].equals("--generated");
        if (args.length != (generated ? 2 : 1)) {
            System.err.println("usage: java Corpus.java [--generated] DEST");
            System.exit(2);
        }
        Path dest = Path.of(args[args.length - 1]);
        if (generated) {
            Files.createDirectories(dest);
            System.out.println(generate(dest));
        } else {
            materialize(dest);
        }
    }

    // ---- the real tree ----------------------------------------------------------------------------------

    /**
     * Copies {@code source} following symlinks (Debian's package links into /etc and /usr/share/php);
     * dangling links, unreadable entries and directory loops are skipped and listed, never silently.
     */
    static Summary copyResolvingLinks(Path source, Path dest) throws IOException {
        List<String> skipped = new ArrayList<>();
        int[] counts = new int[2];
        long[] bytes = new long[1];
        Files.walkFileTree(source, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        Files.createDirectories(dest.resolve(source.relativize(dir).toString()));
                        counts[1]++;
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String rel = source.relativize(file).toString();
                        if (attrs.isSymbolicLink()) {
                            // Following links, a link is only reported as a link when its target is missing.
                            skipped.add(rel + " (dangling link)");
                        } else if (!attrs.isRegularFile()) {
                            skipped.add(rel + " (not a regular file)");
                        } else {
                            try {
                                Files.copy(file, dest.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
                                counts[0]++;
                                bytes[0] += attrs.size();
                            } catch (IOException e) {
                                skipped.add(rel + " (" + e.getClass().getSimpleName() + ")");
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        String why = e instanceof FileSystemLoopException ? "directory loop"
                                : e instanceof NoSuchFileException ? "dangling link"
                                : e instanceof AccessDeniedException ? "unreadable" : e.toString();
                        skipped.add(source.relativize(file) + " (" + why + ")");
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        Path target = dest.resolve(source.relativize(dir).toString());
                        Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(dir));
                        Files.setLastModifiedTime(target, Files.getLastModifiedTime(dir));
                        return FileVisitResult.CONTINUE;
                    }
                });
        // The root itself is the shared folder, not part of the corpus.
        return new Summary(source.toString(), counts[0], counts[1] - 1, bytes[0], List.copyOf(skipped));
    }

    // ---- the generated tree -----------------------------------------------------------------------------

    private static final String[] TOP_FILES = {"index.php", "readme.html", "license.txt", "wp-activate.php",
        "wp-blog-header.php", "wp-comments-post.php", "wp-config-sample.php", "wp-config.php", "wp-cron.php",
        "wp-links-opml.php", "wp-load.php", "wp-login.php", "wp-mail.php", "wp-settings.php", "wp-signup.php",
        "wp-trackback.php", "xmlrpc.php"};

    private static final String[] BLOCKS = {"archives", "audio", "avatar", "block", "button", "buttons",
        "calendar", "categories", "code", "column", "columns", "comment-author-name", "comment-content",
        "comment-date", "comment-edit-link", "comment-reply-link", "comment-template", "comments",
        "comments-pagination", "comments-pagination-next", "comments-pagination-numbers", "comments-title", "cover",
        "embed", "file", "freeform", "gallery", "group", "heading", "home-link", "html", "image", "latest-comments",
        "latest-posts", "legacy-widget", "list", "list-item", "loginout", "media-text", "missing", "more",
        "navigation", "navigation-link", "navigation-submenu", "nextpage", "page-list", "paragraph", "pattern",
        "post-author", "post-author-biography", "post-comments-form", "post-content", "post-date", "post-excerpt",
        "post-featured-image", "post-navigation-link", "post-template", "post-terms", "post-title", "preformatted",
        "pullquote", "query", "query-no-results", "query-pagination", "query-pagination-next",
        "query-pagination-numbers", "query-title", "quote", "read-more", "rss", "search", "separator", "shortcode",
        "site-logo", "site-tagline", "site-title", "social-link", "social-links", "spacer", "table", "tag-cloud",
        "template-part", "term-description", "text-columns", "verse", "video", "widget-group"};

    private static final String[] TINYMCE_PLUGINS = {"charmap", "colorpicker", "compat3x", "directionality",
        "fullscreen", "hr", "image", "link", "lists", "media", "paste", "tabfocus", "textcolor", "wordpress",
        "wpautoresize", "wpdialogs", "wpeditimage", "wpemoji", "wpgallery", "wplink", "wptextpattern", "wpview"};

    private static final String[] OTHER_DIRS = {"wp-admin", "wp-admin/css", "wp-admin/css/colors",
        "wp-admin/css/colors/blue", "wp-admin/css/colors/coffee", "wp-admin/css/colors/ectoplasm",
        "wp-admin/css/colors/light", "wp-admin/css/colors/midnight", "wp-admin/css/colors/modern",
        "wp-admin/css/colors/ocean", "wp-admin/css/colors/sunrise", "wp-admin/images", "wp-admin/includes",
        "wp-admin/js", "wp-admin/js/widgets", "wp-admin/maint", "wp-admin/network", "wp-admin/user",
        "wp-content", "wp-content/languages", "wp-content/languages/plugins", "wp-content/languages/themes",
        "wp-content/plugins", "wp-content/plugins/akismet", "wp-content/plugins/akismet/_inc",
        "wp-content/plugins/akismet/_inc/img", "wp-content/plugins/akismet/views", "wp-content/plugins/akismet/bin",
        "wp-content/themes", "wp-content/themes/twentytwentythree", "wp-content/themes/twentytwentythree/assets",
        "wp-content/themes/twentytwentythree/assets/fonts",
        "wp-content/themes/twentytwentythree/assets/fonts/dm-sans",
        "wp-content/themes/twentytwentythree/assets/fonts/inter",
        "wp-content/themes/twentytwentythree/assets/fonts/source-serif-pro",
        "wp-content/themes/twentytwentythree/parts", "wp-content/themes/twentytwentythree/patterns",
        "wp-content/themes/twentytwentythree/styles", "wp-content/themes/twentytwentythree/templates",
        "wp-includes", "wp-includes/ID3", "wp-includes/IXR", "wp-includes/PHPMailer", "wp-includes/Requests",
        "wp-includes/Requests/Auth", "wp-includes/Requests/Cookie", "wp-includes/Requests/Exception",
        "wp-includes/Requests/Exception/HTTP", "wp-includes/Requests/Exception/Transport",
        "wp-includes/Requests/Proxy", "wp-includes/Requests/Response", "wp-includes/Requests/Transport",
        "wp-includes/Requests/Utility", "wp-includes/SimplePie", "wp-includes/SimplePie/Cache",
        "wp-includes/SimplePie/Content/Type", "wp-includes/SimplePie/Decode/HTML", "wp-includes/SimplePie/HTTP",
        "wp-includes/SimplePie/Net", "wp-includes/SimplePie/Parse", "wp-includes/SimplePie/XML/Declaration",
        "wp-includes/Text/Diff/Engine", "wp-includes/Text/Diff/Renderer", "wp-includes/assets",
        "wp-includes/block-patterns", "wp-includes/block-supports", "wp-includes/blocks", "wp-includes/certificates",
        "wp-includes/css", "wp-includes/css/dist/block-directory", "wp-includes/css/dist/block-editor",
        "wp-includes/css/dist/block-library", "wp-includes/css/dist/components", "wp-includes/css/dist/edit-post",
        "wp-includes/css/dist/edit-site", "wp-includes/css/dist/edit-widgets", "wp-includes/css/dist/editor",
        "wp-includes/css/dist/format-library", "wp-includes/css/dist/nux", "wp-includes/customize",
        "wp-includes/fonts", "wp-includes/html-api", "wp-includes/images", "wp-includes/images/crystal",
        "wp-includes/images/media", "wp-includes/images/smilies", "wp-includes/images/wlw", "wp-includes/js",
        "wp-includes/js/codemirror", "wp-includes/js/crop", "wp-includes/js/dist", "wp-includes/js/dist/vendor",
        "wp-includes/js/imgareaselect", "wp-includes/js/jcrop", "wp-includes/js/jquery", "wp-includes/js/jquery/ui",
        "wp-includes/js/mediaelement", "wp-includes/js/mediaelement/renderers", "wp-includes/js/plupload",
        "wp-includes/js/swfupload", "wp-includes/js/thickbox", "wp-includes/js/tinymce",
        "wp-includes/js/tinymce/langs", "wp-includes/js/tinymce/plugins", "wp-includes/js/tinymce/skins/lightgray",
        "wp-includes/js/tinymce/skins/lightgray/fonts", "wp-includes/js/tinymce/skins/lightgray/img",
        "wp-includes/js/tinymce/skins/wordpress/wp-content", "wp-includes/js/tinymce/themes/inlite",
        "wp-includes/js/tinymce/themes/modern", "wp-includes/js/tinymce/utils", "wp-includes/php-compat",
        "wp-includes/pomo", "wp-includes/random_compat", "wp-includes/rest-api", "wp-includes/rest-api/endpoints",
        "wp-includes/rest-api/fields", "wp-includes/rest-api/search", "wp-includes/sitemaps",
        "wp-includes/sitemaps/providers", "wp-includes/sodium_compat", "wp-includes/sodium_compat/lib",
        "wp-includes/sodium_compat/namespaced/Core/ChaCha20", "wp-includes/sodium_compat/namespaced/Core/Poly1305",
        "wp-includes/sodium_compat/namespaced/Core/Curve25519/Ge", "wp-includes/sodium_compat/src/Core/ChaCha20",
        "wp-includes/sodium_compat/src/Core/Curve25519/Ge", "wp-includes/sodium_compat/src/Core/Poly1305",
        "wp-includes/sodium_compat/src/Core/SecretStream", "wp-includes/sodium_compat/src/Core32/ChaCha20",
        "wp-includes/sodium_compat/src/Core32/Curve25519/Ge", "wp-includes/style-engine",
        "wp-includes/theme-compat", "wp-includes/widgets"};

    /** Directories left empty on purpose: a sync must create them too. */
    private static final String[] EMPTY_DIRS = {"wp-content/upgrade", "wp-content/uploads",
        "wp-content/plugins/hello-dolly/languages"};

    /** Executable scripts, so mode bits are exercised. */
    private static final String[] SCRIPTS = {"wp-content/plugins/akismet/bin/build.sh",
        "wp-includes/js/tinymce/utils/compress.sh", "wp-admin/maint/repair.sh"};

    /** The real package's three largest files, at about their real sizes. */
    private static final Map<String, Integer> LARGE = Map.of("wp-includes/js/dist/block-editor.js", 2_214_743,
            "wp-includes/js/dist/components.js", 2_183_566, "wp-includes/js/dist/block-library.js", 1_814_966);

    private static final String[] WORDS = {"function", "return", "$post", "$wp_query", "array(", ");", "if (",
        "} else {", "foreach (", " as ", "$args", "apply_filters(", "'the_content'", "esc_html(", "__(",
        "'default'", "null", "true", "false", "isset(", "$this->", "public", "static", "class", "WP_", "get_option(",
        "wp_", "admin_url(", ".wp-block", "{", "}", "margin:", "0 auto;", "padding:", "color:", "#1e1e1e;",
        "var", "const", "=>", "window.", "jQuery(", "document", ".on(", "'click'", "e.preventDefault();",
        "@media", "(max-width:", "782px)", "/**", " * @since", " 5.9.0", " */", "$i", "++", "count(", "strlen(",
        "sprintf(", "'%s'", "add_action(", "'init'", "do_action(", "require_once", "ABSPATH", "WPINC", "."};

    static Summary generate(Path dest) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> dirs = new ArrayList<>(List.of(OTHER_DIRS));
        for (String block : BLOCKS) {
            dirs.add("wp-includes/blocks/" + block);
        }
        for (String plugin : TINYMCE_PLUGINS) {
            dirs.add("wp-includes/js/tinymce/plugins/" + plugin);
        }
        for (String dir : dirs) {
            Files.createDirectories(dest.resolve(dir));
        }
        for (String dir : EMPTY_DIRS) {
            Files.createDirectories(dest.resolve(dir));
        }

        // Which file goes where: every listed directory gets one, the rest fall mostly into the hubs.
        Map<String, Integer> sizes = new TreeMap<>();
        for (String name : TOP_FILES) {
            sizes.put(name, fileSize(random));
        }
        sizes.putAll(LARGE);
        for (String script : SCRIPTS) {
            sizes.put(script, 200 + random.nextInt(4000));
        }
        double[] weights = dirs.stream().mapToDouble(Corpus::weight).toArray();
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        Map<String, Integer> perDir = new LinkedHashMap<>();
        for (int i = 0; sizes.size() < GENERATED_FILES; i++) {
            String dir = i < dirs.size() ? dirs.get(i) : pick(dirs, weights, total, random);
            int n = perDir.merge(dir, 1, Integer::sum);
            sizes.put(dir + "/" + fileName(dir, n, random), fileSize(random));
        }

        long bytes = 0;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            Path file = dest.resolve(e.getKey());
            writeFile(file, e.getKey(), e.getValue());
            boolean script = e.getKey().endsWith(".sh");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(script ? "rwxr-xr-x" : "rw-r--r--"));
            Files.setLastModifiedTime(file, GENERATED_MTIME);
            bytes += e.getValue();
        }
        long dirCount;
        try (var walk = Files.walk(dest)) {
            dirCount = walk.filter(Files::isDirectory).count() - 1;
        }
        return new Summary("generated (seed " + SEED + ")", sizes.size(), (int) dirCount, bytes, List.of());
    }

    private static double weight(String dir) {
        int depth = dir.split("/").length;
        return dir.endsWith("/dist") || dir.equals("wp-includes") || dir.equals("wp-admin/includes")
                || dir.equals("wp-admin/js") || dir.equals("wp-admin/css") ? 40 : depth <= 2 ? 8 : 2;
    }

    private static String pick(List<String> dirs, double[] weights, double total, SplittableRandom random) {
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return dirs.get(i);
            }
        }
        return dirs.get(dirs.size() - 1);
    }

    /** Log-normal like the package's file sizes: median about 4 KiB, 90th percentile about 60 KiB, 86 MB in all. */
    private static int fileSize(SplittableRandom random) {
        double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble());
        return (int) Math.min(1_600_000, Math.exp(Math.log(4100) + 2.1 * gaussian));
    }

    private static String fileName(String dir, int n, SplittableRandom random) {
        String word = WORDS[random.nextInt(WORDS.length)].replaceAll("[^A-Za-z]", "").toLowerCase();
        String base = (word.isEmpty() ? "file" : word) + "-" + n;
        String ext;
        if (dir.contains("languages")) {
            ext = new String[] {"mo", "po", "json"}[random.nextInt(3)];
        } else if (dir.contains("images") || dir.endsWith("/img")) {
            ext = new String[] {"png", "png", "gif", "svg"}[random.nextInt(4)];
        } else if (dir.contains("fonts")) {
            ext = new String[] {"woff2", "ttf", "woff"}[random.nextInt(3)];
        } else if (dir.contains("css")) {
            ext = random.nextInt(10) == 0 ? "scss" : "css";
        } else if (dir.contains("/js") || dir.endsWith("/dist")) {
            ext = random.nextInt(12) == 0 ? "json" : "js";
        } else if (dir.contains("blocks/")) {
            ext = new String[] {"json", "css", "css", "php", "js"}[random.nextInt(5)];
        } else {
            ext = new String[] {"php", "php", "php", "php", "css", "js", "html"}[random.nextInt(7)];
        }
        return base + "." + ext;
    }

    private static boolean isText(String name) {
        return name.matches(".*\\.(php|js|css|scss|json|html|txt|svg|po|sh)");
    }

    /** Each file's content comes from its own path, so the tree does not depend on the order it is written in. */
    private static void writeFile(Path file, String rel, int size) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED ^ rel.hashCode() * 0x9E3779B97F4A7C15L);
        byte[] data = new byte[size];
        if (isText(rel)) {
            String header = (rel.endsWith(".sh") ? "#!/bin/sh\n# " : "/* ") + rel + "\n";
            byte[] head = header.getBytes(StandardCharsets.US_ASCII);
            int pos = Math.min(head.length, size);
            System.arraycopy(head, 0, data, 0, pos);
            int column = 0;
            while (pos < size) {
                byte[] word = WORDS[random.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < word.length && pos < size; i++) {
                    data[pos++] = word[i];
                }
                column += word.length;
                if (pos < size) {
                    data[pos++] = (byte) (column > 70 || random.nextInt(8) == 0 ? '\n' : ' ');
                    column = data[pos - 1] == '\n' ? 0 : column + 1;
                }
            }
        } else {
            random.nextBytes(data);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(data);
        }
    }
}
