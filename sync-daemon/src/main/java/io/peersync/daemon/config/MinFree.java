package io.peersync.daemon.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of the folder's file system a pull must leave free: a share of its size ({@code "1%"}) or an amount
 * ({@code "2GiB"}, {@code "500MB"}, {@code "1048576"}). The default, as in Syncthing, is 1%.
 */
public record MinFree(double percent, long bytes) {
    public static final MinFree DEFAULT = new MinFree(1, 0);
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%|[kmgt]i?b?|b)?",
            Pattern.CASE_INSENSITIVE);

    public MinFree {
        if (percent < 0 || percent > 100 || bytes < 0) {
            throw new IllegalArgumentException("minimum free space: " + percent + "%, " + bytes + " B");
        }
    }

    /** Parses {@code "1%"}, {@code "2GiB"}, {@code "500MB"}, {@code "1048576"}; {@link IllegalArgumentException} else. */
    public static MinFree parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("minimum free space \"" + text
                    + "\" (expected: a percentage such as 1% or a size such as 2GiB)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        if (unit.equals("%")) {
            if (value > 100) {
                throw new IllegalArgumentException("minimum free space " + text + " (expected: at most 100%)");
            }
            return new MinFree(value, 0);
        }
        int power = "bkmgt".indexOf(unit.charAt(0)); // K, KB: powers of 1000; KiB: powers of 1024
        long scale = 1;
        for (int i = 0; i < power; i++) {
            scale *= unit.contains("i") ? 1024 : 1000;
        }
        return new MinFree(0, (long) (value * scale));
    }

    /** The bytes to keep free on a file system of {@code totalBytes}. */
    public long of(long totalBytes) {
        return bytes > 0 ? bytes : (long) (totalBytes * percent / 100);
    }

    @Override
    public String toString() {
        return bytes > 0 ? Sizes.human(bytes) : (percent == Math.rint(percent) ? String.valueOf((long) percent)
                : String.valueOf(percent)) + "%";
    }
}
