package io.un0.routing;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeferrableArrivalsTest {

    private static final Instant T0 = Instant.parse("2022-06-01T12:00:00Z");

    private static Instant hours(double h) {
        return T0.plus(Duration.ofSeconds((long) (h * 3600)));
    }

    @Test
    void theRateOverTheWholeHoursSeenBackToADay() {
        DeferrableArrivals arrivals = new DeferrableArrivals(T0);
        arrivals.record(hours(0.2), 600);
        assertEquals(0, arrivals.perHour(hours(0.9)), "no whole hour seen yet");
        arrivals.record(hours(1.5), 300);
        assertEquals(600, arrivals.perHour(hours(1.5)), "the hour in progress does not count");
        assertEquals(450, arrivals.perHour(hours(2)));
        // 25 hours on, the first hour has left the day: hours 1..24 hold 300 in all.
        assertEquals(300 / 24.0, arrivals.perHour(hours(25)), 1e-12);
        // Recording in hour 24 reuses the slot of hour 0 and starts it afresh.
        arrivals.record(hours(24.5), 2400);
        assertEquals(2700 / 24.0, arrivals.perHour(hours(25)), 1e-12);
    }
}
