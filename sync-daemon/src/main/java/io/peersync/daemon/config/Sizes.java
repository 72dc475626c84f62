package io.peersync.daemon.config;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Byte counts as people read them: 1023 B, 1.5 KiB, 20.0 MiB. */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        // Rounded half up to one decimal, as "%.1f" would, without the formatter's start-up cost in a CLI run.
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_UP).toPlainString() + " " + UNITS[unit];
    }
}
