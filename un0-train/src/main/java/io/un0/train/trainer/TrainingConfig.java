package io.un0.train.trainer;

/**
 * Everything that determines a generator training run; the same config and seed give the same weights.
 *
 * @param bootstrapShare share of each batch trained on self-consistency targets (the rest on flow matching)
 */
public record TrainingConfig(long seed, int steps, int batch, float learningRate, float emaDecay, int width,
                             float bootstrapShare, int checkpointEvery) {

    /** The shipped model's settings. */
    public static TrainingConfig shipped() {
        return new TrainingConfig(20261125L, 8000, 64, 1e-3f, 0.999f, 16, 0.25f, 250);
    }

    /** A few steps of a narrow network: what the tests run end to end. */
    public static TrainingConfig smoke() {
        return new TrainingConfig(7L, 6, 16, 1e-3f, 0.99f, 8, 0.25f, 3);
    }

    public TrainingConfig {
        if (steps < 1 || batch < 4 || width < 8 || width % 8 != 0 || bootstrapShare < 0 || bootstrapShare >= 1) {
            throw new IllegalArgumentException("invalid training config " + this);
        }
    }

    LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, steps);
    }
}
