package io.peersync.daemon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private final EventLog log = new EventLog(Clock.systemUTC());

    @Test
    void readersGetEventsAfterTheNumberTheyAskFor() throws Exception {
        log.add("a", "F", Map.of());
        log.add("b", "F", Map.of("n", 1));
        log.add("c", null, Map.of());

        EventLog.Page page = log.after(1, Duration.ZERO);

        assertEquals(2, page.events().size());
        assertEquals("b", page.events().get(0).type());
        assertEquals(3, page.last());
        assertFalse(page.missed());
    }

    @Test
    void keepsTheNewestEventsOnlyAndSaysWhenSomeWereMissed() throws Exception {
        for (int i = 0; i < EventLog.CAPACITY + 10; i++) {
            log.add("e", "F", Map.of("i", i));
        }

        EventLog.Page page = log.after(0, Duration.ZERO);

        assertTrue(page.missed());
        assertEquals(EventLog.MAX_PAGE, page.events().size());
        assertEquals(11, page.events().get(0).id());
        EventLog.Page rest = log.after(page.last(), Duration.ZERO);
        assertEquals(EventLog.CAPACITY - EventLog.MAX_PAGE, rest.events().size());
        assertEquals(EventLog.CAPACITY + 10, rest.last());
        assertFalse(rest.missed());
    }

    @Test
    void aReaderAheadOfTheLogIsBroughtBackToItsEnd() throws Exception {
        log.add("e", "F", Map.of());

        EventLog.Page page = log.after(500, Duration.ZERO);

        assertEquals(0, page.events().size());
        assertEquals(1, page.last());
    }

    @Test
    void anEmptyReadWaitsOnlyAsLongAsAsked() throws Exception {
        EventLog.Page page = log.after(0, Duration.ofMillis(50));

        assertEquals(0, page.events().size());
        assertEquals(0, page.last());
    }
}
