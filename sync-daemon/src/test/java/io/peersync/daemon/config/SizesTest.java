package io.peersync.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void bytesBelowAKibibyteAreExact() {
        assertEquals("0 B", Sizes.human(0));
        assertEquals("1023 B", Sizes.human(1023));
    }

    @Test
    void largerCountsHaveOneDecimalRoundedHalfUp() {
        assertEquals("1.0 KiB", Sizes.human(1024));
        assertEquals("1.5 KiB", Sizes.human(1536));
        assertEquals("1.0 KiB", Sizes.human(1075)); // 1.0498
        assertEquals("1.1 KiB", Sizes.human(1076)); // 1.0508
        assertEquals("1024.0 KiB", Sizes.human(1024 * 1024 - 1)); // 1023.999 rounds up but stays in KiB
    }

    @Test
    void agreesWithTheFormattersOneDecimalEverywhere() {
        SplittableRandom random = new SplittableRandom(7);
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        for (int i = 0; i < 200_000; i++) {
            long bytes = 1024 + (random.nextLong() >>> random.nextInt(1, 54));
            double value = bytes;
            int unit = -1;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            assertEquals(String.format(Locale.ROOT, "%.1f %s", value, units[unit]), Sizes.human(bytes), "" + bytes);
        }
        assertEquals(String.format(Locale.ROOT, "%.1f EiB", Long.MAX_VALUE / Math.pow(1024, 6)),
                Sizes.human(Long.MAX_VALUE));
    }
}
