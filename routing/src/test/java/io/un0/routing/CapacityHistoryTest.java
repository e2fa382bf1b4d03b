package io.un0.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CapacityHistoryTest {

    private static final Instant T0 = Instant.parse("2022-06-08T00:00:00Z");

    private static Instant at(double hours) {
        return T0.plus(Duration.ofSeconds((long) (hours * 3600)));
    }

    @Test
    void anHourIsPlannedWithWhatThePoolCouldRunAtItsMiddleADayBefore() {
        CapacityHistory history = new CapacityHistory();
        history.record("solar", at(0), 1);
        history.record("solar", at(9.5), 4);
        history.record("solar", at(10.25), 6);
        history.record("solar", at(10.75), 5);
        history.record("solar", at(18), 1);
        assertEquals(1 * 3600, history.evalsPerHour("solar", at(5)), "before a day of history: the first figure seen");
        assertEquals(1 * 3600, history.evalsPerHour("solar", at(30)), "06:30 the day before");
        assertEquals(6 * 3600, history.evalsPerHour("solar", at(34)), "10:30 the day before: the figure from 10:15");
        assertEquals(5 * 3600, history.evalsPerHour("solar", at(35)), "11:30 the day before: the figure from 10:45");
        assertEquals(0, history.evalsPerHour("unknown", at(34)));
    }

    @Test
    void keepsTwoDaysOfChangesInTimeOrder() {
        CapacityHistory history = new CapacityHistory();
        history.record("p", at(0), 2);
        history.record("p", at(1), 3);
        history.record("p", at(0.5), 9);
        assertEquals(2 * 3600, history.evalsPerHour("p", at(24)), "a figure older than the last one is ignored");
        assertEquals(3 * 3600, history.evalsPerHour("p", at(25)));
        history.record("p", at(60), 4);
        assertEquals(3 * 3600, history.evalsPerHour("p", at(60)), "the figure in force two days back is kept");
        assertEquals(3 * 3600, history.evalsPerHour("p", at(2)), "what is gone reads as the oldest figure kept");
    }
}
