package io.peersync.daemon.engine;

import io.peersync.protocol.FileRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one pass over what a node needs, which records are applied one by one and which are held back to be
 * applied together as a change set. A set is ready once all its members are known, or once it has waited
 * {@code maxWaitNanos} since first seen (a member may have been superseded and never come). At most
 * {@code maxHeld} records are held back; beyond that, members are applied one by one so memory stays bounded.
 */
final class ChangeSetPlanner {
    private final int maxHeld;
    private final long maxWaitNanos;
    /** When each set was first seen; survives passes. */
    private final Map<Long, Long> firstSeen = new HashMap<>();

    private final Map<Long, List<FileRecord>> held = new LinkedHashMap<>();
    private final List<FileRecord> single = new ArrayList<>();
    private int heldCount;

    ChangeSetPlanner(int maxHeld, long maxWaitNanos) {
        this.maxHeld = maxHeld;
        this.maxWaitNanos = maxWaitNanos;
    }

    /** Starts a pass. */
    void begin() {
        held.clear();
        single.clear();
        heldCount = 0;
    }

    /** Offers one needed record; true when it is held for its set, false when it should be applied alone now. */
    boolean offer(FileRecord g) {
        if (g.changeSetSize() <= 1 || heldCount >= maxHeld) {
            return false;
        }
        held.computeIfAbsent(g.changeSet(), k -> new ArrayList<>()).add(g);
        heldCount++;
        return true;
    }

    /** Ends a pass: the sets to apply now; sets still waiting stay remembered. */
    Plan finish(long nowNanos) {
        List<List<FileRecord>> ready = new ArrayList<>();
        int waiting = 0;
        for (Map.Entry<Long, List<FileRecord>> set : held.entrySet()) {
            List<FileRecord> members = set.getValue();
            long since = firstSeen.computeIfAbsent(set.getKey(), k -> nowNanos);
            if (members.size() < members.get(0).changeSetSize() && nowNanos - since < maxWaitNanos) {
                waiting++;
            } else {
                ready.add(members);
            }
        }
        firstSeen.keySet().retainAll(held.keySet());
        return new Plan(ready, waiting);
    }

    /** A set was applied: forget when it was first seen. */
    void applied(List<FileRecord> members) {
        firstSeen.remove(members.get(0).changeSet());
    }

    /** What to do at the end of a pass. */
    record Plan(List<List<FileRecord>> ready, int waiting) {
    }
}
