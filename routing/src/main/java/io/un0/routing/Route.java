package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.time.Instant;
import java.util.List;

/**
 * A policy's decision: run the job in this pool, at this precision and step count, from {@code start}. A start
 * after the view's instant means: hold the job until then (deferral), and decide again.
 *
 * @param reason   why, for the audit record
 * @param expected the chosen option's expected emissions and time
 * @param weighed  the other options the policy weighed, for the audit record (may be empty)
 */
public record Route(String pool, Precision precision, int steps, String reason, Instant start, Option expected, List<Option> weighed) {

    public Route {
        weighed = List.copyOf(weighed);
    }

    /** A decision to run now, with nothing else recorded. */
    public static Route now(String pool, Precision precision, int steps, String reason, Instant now) {
        return new Route(pool, precision, steps, reason, now, new Option(pool, precision, steps, Double.NaN, Double.NaN, ""), List.of());
    }

    public boolean defers(Instant now) {
        return start.isAfter(now);
    }
}
