package io.peersync.daemon.engine;

import com.google.common.io.BaseEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * Names of conflict copies: {@code NAME.sync-conflict-YYYYMMDD-HHMMSS-NODE.EXT}, from the losing version's mtime
 * (UTC) and author, so every node that keeps the same loser picks the same name. A copy of server-side code must
 * not run: for {@code .php} and the like the extension becomes {@code .php-txt}.
 */
final class ConflictNames {
    static final String MARKER = ".sync-conflict-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    /** Extensions a web server may execute (PHP handlers, CGI, server-side pages). */
    private static final Set<String> EXECUTABLE = Set.of("php", "php3", "php4", "php5", "php7", "php8", "phtml",
            "phar", "pht", "phps", "inc", "cgi", "pl", "py", "sh", "asp", "aspx", "jsp", "shtml");

    private ConflictNames() {
    }

    static String conflictPath(String path, long mtimeNanos, long author) {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String base = dot <= 0 ? name : name.substring(0, dot);
        String ext = dot <= 0 ? "" : name.substring(dot + 1);
        String tag = MARKER + STAMP.format(Instant.ofEpochSecond(0, mtimeNanos)) + "-" + node(author);
        if (ext.isEmpty()) {
            return dir + name + tag;
        }
        if (EXECUTABLE.contains(ext.toLowerCase(Locale.ROOT))) {
            ext = ext + "-txt";
        }
        return dir + base + tag + "." + ext;
    }

    static boolean isConflictCopy(String path) {
        return path.contains(MARKER);
    }

    /** The first seven characters of the node id, as {@code NodeId.shortForm} shows them. */
    private static String node(long author) {
        byte[] bytes = ByteBuffer.allocate(8).putLong(author).array();
        return BaseEncoding.base32().omitPadding().encode(bytes).substring(0, 7);
    }
}
