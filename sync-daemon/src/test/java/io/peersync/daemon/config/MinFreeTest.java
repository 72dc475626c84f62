package io.peersync.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MinFreeTest {
    @Test
    void aShareOfTheDiskOrAnAmount() {
        assertEquals(10_000_000, MinFree.parse("1%").of(1_000_000_000));
        assertEquals(25_000_000, MinFree.parse("2.5 %").of(1_000_000_000));
        assertEquals(2L << 30, MinFree.parse("2GiB").of(1));
        assertEquals(500_000_000, MinFree.parse("500MB").of(1));
        assertEquals(3_000, MinFree.parse("3k").of(1));
        assertEquals(1_048_576, MinFree.parse("1048576").of(1));
        assertEquals(10_000_000, MinFree.DEFAULT.of(1_000_000_000), "1% by default, as in Syncthing");
    }

    @Test
    void readsBackAsItIsShown() {
        assertEquals("1%", MinFree.DEFAULT.toString());
        assertEquals("2.0 GiB", MinFree.parse("2GiB").toString());
        assertEquals("0.5%", MinFree.parse("0.5%").toString());
    }

    @Test
    void refusesWhatIsNotASizeOrAShare() {
        for (String bad : new String[] {"", "lots", "-1%", "101%", "5 parsecs", "1%%"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MinFree.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("minimum free space"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new FolderSettings(null, null, null, null, null, "a lot"), "settings check it too");
    }
}
