package io.un0.routing;

/**
 * What running one precision costs on a worker or a pool: how fast, and how much energy per network evaluation
 * (an image at {@code s} steps is {@code s} evaluations).
 *
 * @param evalsPerSecond at full speed
 * @param joulesPerEval  all the energy drawn while running at full speed, per evaluation (idle share included)
 */
public record Rate(double evalsPerSecond, double joulesPerEval) {

    public Rate {
        if (!(evalsPerSecond > 0) || !(joulesPerEval > 0) || Double.isInfinite(evalsPerSecond) || Double.isInfinite(joulesPerEval)) {
            throw new IllegalArgumentException("a rate needs finite evals/s and J/eval above 0, got " + evalsPerSecond + ", " + joulesPerEval);
        }
    }

    /** Watts drawn at full speed. */
    public double fullWatts() {
        return evalsPerSecond * joulesPerEval;
    }
}
