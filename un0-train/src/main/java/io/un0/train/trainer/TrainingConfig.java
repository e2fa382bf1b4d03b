package io.un0.train.trainer;

/**
 * Everything that determines a generator training run; the same config and seed give the same weights.
 *
 * @param bootstrapShare share of each batch trained on self-consistency targets (the rest on flow matching); 0 for
 *                       plain flow matching and reflow, which have none
 * @param startFrom      the fp32 package (a folder or a shipped name) whose weights the run starts from, or null to start
 *                       from the seed's random initialisation
 * @param adversarialWeight for {@link GeneratorObjective#ADVERSARIAL}, the critic's term against the reflow term, as a
 *                       share of the weight that gives both the same gradient on the last layer; 0 for every other objective
 * @param criticFrom     for {@link GeneratorObjective#ADVERSARIAL}, the checkpoint folder of an earlier adversarial run whose
 *                       critic's weights this run's critic starts from (its optimiser starts afresh), or null for the critic's
 *                       own random initialisation; a critic needs most of a run to become discriminating, so a later part
 *                       keeps the one the part before it trained
 * @param criticLearningRateRatio for {@link GeneratorObjective#ADVERSARIAL}, the critic's learning rate as a multiple of the
 *                       generator's at every step (a ratio above 1 is the two time-scale rule of Heusel et al., 2017: a fresh
 *                       critic becomes discriminating sooner); 0 for every other objective
 */
public record TrainingConfig(GeneratorObjective objective, long seed, int steps, int batch, float learningRate, float emaDecay,
                             int width, float bootstrapShare, int checkpointEvery, String startFrom, float adversarialWeight,
                             String criticFrom, float criticLearningRateRatio) {

    /**
     * The shipped settings of an objective: the baseline gets Un-0's network, data, seed and budget (steps × batch),
     * only its objective differs.
     */
    public static TrainingConfig shipped(GeneratorObjective objective) {
        return new TrainingConfig(objective, 20261125L, 8000, 64, 1e-3f, 0.999f, 16, bootstrapShare(objective, 0.25f), 250, null,
                adversarialWeight(objective), null, criticLearningRateRatio(objective));
    }

    /** A few steps of a narrow network: what the tests run end to end. */
    public static TrainingConfig smoke(GeneratorObjective objective) {
        return new TrainingConfig(objective, 7L, 6, 16, 1e-3f, 0.99f, 8, bootstrapShare(objective, 0.25f), 3, null,
                adversarialWeight(objective), null, criticLearningRateRatio(objective));
    }

    private static float adversarialWeight(GeneratorObjective objective) {
        return objective == GeneratorObjective.ADVERSARIAL ? 0.5f : 0f;
    }

    private static float criticLearningRateRatio(GeneratorObjective objective) {
        return objective == GeneratorObjective.ADVERSARIAL ? 1f : 0f;
    }

    private static float bootstrapShare(GeneratorObjective objective, float shortcutShare) {
        return objective == GeneratorObjective.SHORTCUT ? shortcutShare : 0f;
    }

    public TrainingConfig {
        if (objective == null || steps < 1 || batch < 4 || width < 8 || width % 8 != 0 || bootstrapShare < 0 || bootstrapShare >= 1
                || (objective != GeneratorObjective.SHORTCUT && bootstrapShare != 0)
                || !(adversarialWeight >= 0) || (objective == GeneratorObjective.ADVERSARIAL) != (adversarialWeight > 0)
                || (criticFrom != null && objective != GeneratorObjective.ADVERSARIAL)
                || !(criticLearningRateRatio >= 0) || (objective == GeneratorObjective.ADVERSARIAL) != (criticLearningRateRatio > 0)) {
            throw new IllegalArgumentException("invalid training config " + this);
        }
    }

    LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, steps);
    }

    LearningRateSchedule criticSchedule() {
        return new LearningRateSchedule(learningRate * criticLearningRateRatio, steps);
    }
}
