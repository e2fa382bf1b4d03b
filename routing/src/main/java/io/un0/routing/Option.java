package io.un0.routing;

import io.un0.vocabulary.Precision;

/**
 * One way to run a job that a policy weighed.
 *
 * @param expectedGrams   gCO2e the whole job is expected to emit there (SCI: energy × intensity + embodied share)
 * @param expectedSeconds from now until its images are done there
 * @param rejectedBecause empty when feasible; else why not
 */
public record Option(String pool, Precision precision, int steps, double expectedGrams, double expectedSeconds, String rejectedBecause) {
}
