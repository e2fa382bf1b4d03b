package io.un0.engine;

import java.util.Arrays;
import java.util.Locale;

/** How a sampler follows the predicted velocity from noise (t = 0) to an image (t = 1) in K steps of size 1/K. */
public enum Solver {
    /** One evaluation per step: {@code x ← x + h·v(x, t)}. The only solver for an average-velocity network (Un-0). */
    EULER(1),
    /**
     * Heun's second-order method: the Euler guess, then the step taken with the mean of the velocities at its two ends;
     * the last step, which ends on the image (t = 1), stays an Euler step, as in Karras et al.'s (EDM) sampler: the
     * network is least reliable exactly there, on a guess that is still off the data. So K steps cost 2K - 1
     * evaluations. For an instantaneous-velocity network (the flow-matching baseline) it reaches a given quality in
     * fewer evaluations than Euler; an average-velocity network already takes whole steps.
     */
    HEUN(2);

    private final int evaluationsPerStep;

    Solver(int evaluationsPerStep) {
        this.evaluationsPerStep = evaluationsPerStep;
    }

    /** Network evaluations per image for K steps. */
    public int evaluations(int steps) {
        return steps * evaluationsPerStep - (evaluationsPerStep - 1);
    }

    /** Whether step k of K (from 0) corrects its Euler guess with a second evaluation. */
    boolean corrects(int step, int steps) {
        return evaluationsPerStep > 1 && step < steps - 1;
    }

    /** As written on a command line: {@code euler}, {@code heun}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Solver parse(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("solver", "unknown solver '" + id + "'; known: euler, heun"));
    }
}
