package io.un0.deploy.bench;

import io.un0.bench.Machine;
import java.time.Instant;

/**
 * When a section of faults.json ran and on what machine (CPU model, cores). Every section carries one, and says that
 * its seconds are a record of this run, never a timing assertion.
 */
public record SectionRun(String started, String ended, String machine, String note) {

    private static final String NOT_A_TIMING_ASSERTION = "nothing here is a timing assertion: seconds are what this run took on this "
            + "machine, with the broker, every service and the load generator on it at once";

    /** A section that started at {@code started} and ends now. */
    static SectionRun since(Instant started) {
        return new SectionRun(started.toString(), Instant.now().toString(), Machine.describe(), NOT_A_TIMING_ASSERTION);
    }
}
