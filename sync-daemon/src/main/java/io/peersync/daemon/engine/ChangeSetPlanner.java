package io.peersync.daemon.engine;

import io.peersync.protocol.FileRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides, for one pass over what a node needs, which records are applied one by one and which are held back to be
 * applied together as a change set. A set is ready once all its members are needed here, or once every peer that
 * holds it has sent all it has (the rest are members this node does not need: ignored, already in place, or
 * superseded). Until then it waits, however long: part of a set is never applied. At most {@code maxHeld} records
 * are held back in one pass; beyond that, members are applied one by one so memory stays bounded.
 */
final class ChangeSetPlanner {
    private final int maxHeld;
    private final Map<Long, List<FileRecord>> held = new LinkedHashMap<>();
    private int heldCount;

    ChangeSetPlanner(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    /** Starts a pass. */
    void begin() {
        held.clear();
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

    /**
     * Ends a pass: the sets to apply now. {@code settled} says of an incomplete set's needed members whether the
     * peers that hold them have sent everything they have.
     */
    Plan finish(Predicate<List<FileRecord>> settled) {
        List<List<FileRecord>> ready = new ArrayList<>();
        int waiting = 0;
        for (List<FileRecord> members : held.values()) {
            if (members.size() >= members.get(0).changeSetSize() || settled.test(members)) {
                ready.add(members);
            } else {
                waiting++;
            }
        }
        return new Plan(ready, waiting);
    }

    /** What to do at the end of a pass. */
    record Plan(List<List<FileRecord>> ready, int waiting) {
    }
}
