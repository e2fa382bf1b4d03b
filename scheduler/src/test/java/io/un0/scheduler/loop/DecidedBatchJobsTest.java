package io.un0.scheduler.loop;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecidedBatchJobsTest {

    @Test
    void remembersTheMostRecentIdsUpToItsCapacity() {
        DecidedBatchJobs decided = new DecidedBatchJobs(2);
        decided.decided("b/0");
        decided.decided("b/1");
        assertTrue(decided.contains("b/0"));
        decided.decided("b/2");
        assertFalse(decided.contains("b/0"), "the oldest is forgotten");
        assertTrue(decided.contains("b/1"));
        assertTrue(decided.contains("b/2"));
        assertFalse(decided.contains("b/3"));
    }

    @Test
    void needsRoomForOne() {
        assertThrows(IllegalArgumentException.class, () -> new DecidedBatchJobs(0));
    }
}
