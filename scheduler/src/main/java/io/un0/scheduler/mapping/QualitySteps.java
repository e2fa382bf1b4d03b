package io.un0.scheduler.mapping;

import io.un0.proto.v1.Quality;

/**
 * The one place a job's quality request becomes a step count (network evaluations per image). An explicit
 * {@code steps} is taken as it is; a tier maps as below, read off the FD-FMNIST sweep in docs/bench/un0.md:
 *
 * <ul>
 *   <li>DRAFT: {@value #DRAFT} step, Un-0 itself, the cheapest image;</li>
 *   <li>STANDARD: {@value #STANDARD} steps, which halve the 1-step FD-FMNIST at about twice the energy;</li>
 *   <li>BEST: {@value #BEST} steps, within about 15 % of the best FD-FMNIST, where more steps stop paying;</li>
 *   <li>no tier and no steps: {@value #UNSPECIFIED}, the cheapest answer.</li>
 * </ul>
 *
 * {@code min_steps} is the floor a policy may trade steps down to (0: none, run the steps asked for): it lifts a
 * tier's step count and must not exceed an explicit one. Whether a worker's model serves the resulting count is the
 * worker's check, not the scheduler's.
 */
public final class QualitySteps {

    public static final int DRAFT = 1;
    public static final int STANDARD = 2;
    public static final int BEST = 8;
    public static final int UNSPECIFIED = DRAFT;

    private QualitySteps() {
    }

    public static int of(Quality quality) throws InvalidEnvelopeException {
        long floor = Integer.toUnsignedLong(quality.getMinSteps());
        if (quality.getChoiceCase() == Quality.ChoiceCase.STEPS) {
            long steps = Integer.toUnsignedLong(quality.getSteps());
            if (steps < 1 || steps > Integer.MAX_VALUE) {
                throw new InvalidEnvelopeException("quality.steps", steps + " is outside 1.." + Integer.MAX_VALUE);
            }
            if (floor > steps) {
                throw new InvalidEnvelopeException("quality.min_steps", floor + " is above quality.steps " + steps);
            }
            return (int) steps;
        }
        int tierSteps = switch (quality.getTier()) {
            case QUALITY_TIER_UNSPECIFIED -> UNSPECIFIED;
            case QUALITY_TIER_DRAFT -> DRAFT;
            case QUALITY_TIER_STANDARD -> STANDARD;
            case QUALITY_TIER_BEST -> BEST;
            case UNRECOGNIZED -> throw new InvalidEnvelopeException("quality.tier", "unknown tier " + quality.getTierValue());
        };
        if (floor > Integer.MAX_VALUE) {
            throw new InvalidEnvelopeException("quality.min_steps", floor + " is above " + Integer.MAX_VALUE);
        }
        return (int) Math.max(tierSteps, floor);
    }
}
