package io.un0.energy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuClockTest {

    /**
     * The process's CPU time includes this thread's, which the JVM reads to the nanosecond: spinning until the thread
     * has run one millisecond must move the process clock by at least that much. Asserted by CPU time, not by wall
     * time, so a busy machine cannot fail it; the JVM's tick-based figure would read 0 most times.
     */
    @Test
    void aMillisecondOfWorkIsSeenEveryTime() {
        ProcessCpuClock clock = ProcessCpuClock.best();
        Assumptions.assumeTrue(clock.precise(), "skipped: no clock_gettime(CLOCK_PROCESS_CPUTIME_ID) here (not Linux?)");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50; i++) {
            double before = clock.seconds();
            long threadStart = threads.getCurrentThreadCpuTime();
            long spins = 0;
            while (threads.getCurrentThreadCpuTime() - threadStart < 1_000_000) {
                spins++;
            }
            double seen = clock.seconds() - before;
            assertTrue(seen >= 0.001, "the process clock moved " + seen + " s while this thread ran 1 ms (" + spins + " spins)");
        }
    }
}
