package io.peersync.daemon.health;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daemon's recent events (folder state changes, change sets applied, conflicts, errors, pauses), numbered from 1,
 * the oldest forgotten beyond {@value #CAPACITY}. Readers long-poll for events after the last number they saw.
 */
public final class EventLog {
    static final int CAPACITY = 1000;
    /** The most events one read returns; a reader that is further behind reads again at once. */
    static final int MAX_PAGE = 500;

    /** One event; {@code folder} is null for events of the daemon itself. */
    public record Event(long id, String time, String type, String folder, Map<String, Object> data) {
    }

    /**
     * Events after the number asked for; {@code last} is the number to ask after next time, and {@code missed}
     * says that events between were forgotten before this reader came back.
     */
    public record Page(List<Event> events, long last, boolean missed) {
    }

    private final Clock clock;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long lastId;

    public EventLog(Clock clock) {
        this.clock = clock;
    }

    public synchronized void add(String type, String folder, Map<String, Object> data) {
        lastId++;
        events.addLast(new Event(lastId, clock.instant().toString(), type, folder, Map.copyOf(data)));
        if (events.size() > CAPACITY) {
            events.removeFirst();
        }
        notifyAll();
    }

    /** The number of the newest event, 0 before the first. */
    public synchronized long last() {
        return lastId;
    }

    /** Events numbered above {@code after}; waits up to {@code wait} for one when there is none yet. */
    public synchronized Page after(long after, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long now;
        while (lastId <= after && (now = System.nanoTime()) < deadline) {
            long left = deadline - now;
            wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
        }
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.id() > after && out.size() < MAX_PAGE) {
                out.add(e);
            }
        }
        boolean missed = !events.isEmpty() && events.peekFirst().id() > after + 1;
        // A reader ahead of the log (the daemon restarted since) is brought back to its end.
        long last = out.isEmpty() ? Math.min(after, lastId) : out.get(out.size() - 1).id();
        return new Page(out, last, missed);
    }
}
