package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.VersionVector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeSetPlannerTest {
    private static FileRecord member(String path, long set, int size) {
        return new FileRecord(path, FileType.DIRECTORY, 0, 0, 0755, VersionVector.EMPTY.increment(1), false, 1, 1, 0,
                List.of(), null, "", null, set, size);
    }

    @Test
    void appliesLoneChangesAtOnce() {
        ChangeSetPlanner p = new ChangeSetPlanner(100);
        p.begin();
        assertFalse(p.offer(member("a", 0, 0)));
        assertFalse(p.offer(member("b", 7, 1)));
        assertEquals(0, p.finish(m -> true).ready().size());
    }

    @Test
    void holdsACompleteSetUntilTheEndOfThePassThenAppliesItWhole() {
        ChangeSetPlanner p = new ChangeSetPlanner(100);
        p.begin();
        assertTrue(p.offer(member("a", 5, 3)));
        assertTrue(p.offer(member("b", 5, 3)));
        assertTrue(p.offer(member("c", 5, 3)));
        List<List<FileRecord>> asked = new ArrayList<>();
        ChangeSetPlanner.Plan plan = p.finish(m -> asked.add(m) && false);
        assertEquals(1, plan.ready().size());
        assertEquals(3, plan.ready().get(0).size());
        assertEquals(0, plan.waiting());
        assertEquals(List.of(), asked, "a set with every member here needs no word from its holders");
    }

    @Test
    void anIncompleteSetWaitsForeverUntilItsHoldersHaveSentAllTheyHave() {
        ChangeSetPlanner p = new ChangeSetPlanner(100);
        for (int pass = 0; pass < 3; pass++) {
            p.begin();
            p.offer(member("a", 5, 3));
            p.offer(member("b", 5, 3));
            ChangeSetPlanner.Plan plan = p.finish(m -> false);
            assertEquals(0, plan.ready().size(), "part of a set is never applied, however long it waits");
            assertEquals(1, plan.waiting());
        }
        p.begin();
        p.offer(member("a", 5, 3));
        p.offer(member("b", 5, 3));
        List<List<FileRecord>> asked = new ArrayList<>();
        ChangeSetPlanner.Plan settled = p.finish(m -> asked.add(m));
        assertEquals(1, settled.ready().size(), "the third member is not needed here: the set goes without it");
        assertEquals(List.of("a", "b"), asked.get(0).stream().map(FileRecord::path).toList());
    }

    @Test
    void keepsSetsApart() {
        ChangeSetPlanner p = new ChangeSetPlanner(100);
        p.begin();
        p.offer(member("a", 1, 2));
        p.offer(member("x", 2, 2));
        p.offer(member("b", 1, 2));
        ChangeSetPlanner.Plan plan = p.finish(m -> false);
        assertEquals(1, plan.ready().size());
        assertEquals(List.of("a", "b"), plan.ready().get(0).stream().map(FileRecord::path).toList());
        assertEquals(1, plan.waiting());
    }

    @Test
    void boundsWhatItHoldsBack() {
        ChangeSetPlanner p = new ChangeSetPlanner(2);
        p.begin();
        assertTrue(p.offer(member("a", 1, 5)));
        assertTrue(p.offer(member("b", 1, 5)));
        assertFalse(p.offer(member("c", 1, 5)), "past the bound members are applied one by one");
    }
}
