package io.un0.routing;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InteractiveHistoryTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void anHourAheadKeepsFreeWhatThePoolTookAtThatHourTheDayBefore() {
        InteractiveHistory history = new InteractiveHistory(START);
        history.record("gpu", START.plus(Duration.ofMinutes(90)), 300);
        history.record("gpu", START.plus(Duration.ofMinutes(100)), 200);
        assertEquals(500, history.usable("gpu", START.plus(Duration.ofHours(1)), 1000), "before a day of history: half");
        Instant tomorrowAtOne = START.plus(Duration.ofHours(25));
        assertEquals(500, history.usable("gpu", tomorrowAtOne, 1000), "1000 less the 500 taken from 01:00 the day before");
        assertEquals(1000, history.usable("gpu", START.plus(Duration.ofHours(26)), 1000), "nothing was taken at 02:00");
        assertEquals(1000, history.usable("npu", tomorrowAtOne, 1000), "a pool that took no interactive work");
        assertEquals(0, history.usable("gpu", tomorrowAtOne, 300), "never below nothing");
        // Two days on, the slot of day one is reused for day three and forgets day one.
        history.record("gpu", START.plus(Duration.ofHours(49)), 100);
        assertEquals(900, history.usable("gpu", START.plus(Duration.ofHours(73)), 1000));
        assertEquals(1000, history.usable("gpu", tomorrowAtOne, 1000), "day one's 01:00 is gone from the slot");
    }
}
