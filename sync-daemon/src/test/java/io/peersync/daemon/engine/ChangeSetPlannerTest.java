package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.VersionVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeSetPlannerTest {
    private static final long SECOND = 1_000_000_000L;

    private static FileRecord member(String path, long set, int size) {
        return new FileRecord(path, FileType.DIRECTORY, 0, 0, 0755, VersionVector.EMPTY.increment(1), false, 1, 1, 0,
                List.of(), null, "", null, set, size);
    }

    @Test
    void appliesLoneChangesAtOnce() {
        ChangeSetPlanner p = new ChangeSetPlanner(100, 10 * SECOND);
        p.begin();
        assertFalse(p.offer(member("a", 0, 0)));
        assertFalse(p.offer(member("b", 7, 1)));
        assertEquals(0, p.finish(0).ready().size());
    }

    @Test
    void holdsACompleteSetUntilTheEndOfThePassThenAppliesItWhole() {
        ChangeSetPlanner p = new ChangeSetPlanner(100, 10 * SECOND);
        p.begin();
        assertTrue(p.offer(member("a", 5, 3)));
        assertTrue(p.offer(member("b", 5, 3)));
        assertTrue(p.offer(member("c", 5, 3)));
        ChangeSetPlanner.Plan plan = p.finish(0);
        assertEquals(1, plan.ready().size());
        assertEquals(3, plan.ready().get(0).size());
        assertEquals(0, plan.waiting());
    }

    @Test
    void waitsForMissingMembersThenGivesUpWaitingAfterTheLimit() {
        ChangeSetPlanner p = new ChangeSetPlanner(100, 10 * SECOND);
        p.begin();
        p.offer(member("a", 5, 3));
        p.offer(member("b", 5, 3));
        ChangeSetPlanner.Plan first = p.finish(100 * SECOND);
        assertEquals(0, first.ready().size());
        assertEquals(1, first.waiting());

        p.begin();
        p.offer(member("a", 5, 3));
        p.offer(member("b", 5, 3));
        assertEquals(0, p.finish(105 * SECOND).ready().size());

        p.begin();
        p.offer(member("a", 5, 3));
        p.offer(member("b", 5, 3));
        ChangeSetPlanner.Plan late = p.finish(110 * SECOND);
        assertEquals(1, late.ready().size(), "a set whose last member never comes is applied after the wait");
    }

    @Test
    void keepsSetsApartAndForgetsAppliedOnes() {
        ChangeSetPlanner p = new ChangeSetPlanner(100, 10 * SECOND);
        p.begin();
        p.offer(member("a", 1, 2));
        p.offer(member("x", 2, 2));
        p.offer(member("b", 1, 2));
        ChangeSetPlanner.Plan plan = p.finish(0);
        assertEquals(1, plan.ready().size());
        assertEquals(List.of("a", "b"), plan.ready().get(0).stream().map(FileRecord::path).toList());
        assertEquals(1, plan.waiting());
        p.applied(plan.ready().get(0));
    }

    @Test
    void boundsWhatItHoldsBack() {
        ChangeSetPlanner p = new ChangeSetPlanner(2, 10 * SECOND);
        p.begin();
        assertTrue(p.offer(member("a", 1, 5)));
        assertTrue(p.offer(member("b", 1, 5)));
        assertFalse(p.offer(member("c", 1, 5)), "past the bound members are applied one by one");
    }
}
