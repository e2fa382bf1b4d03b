package io.un0.train.trainer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainingConfigTest {

    private static TrainingConfig withCritic(GeneratorObjective objective, float weight, float criticRatio) {
        TrainingConfig base = TrainingConfig.smoke(objective);
        return new TrainingConfig(objective, base.seed(), base.steps(), base.batch(), base.learningRate(), base.emaDecay(),
                base.width(), base.bootstrapShare(), base.checkpointEvery(), null, weight, null, criticRatio);
    }

    @Test
    void onlyTheAdversarialObjectiveHasACriticLearningRate() {
        assertEquals(1f, TrainingConfig.shipped(GeneratorObjective.ADVERSARIAL).criticLearningRateRatio());
        assertEquals(0f, TrainingConfig.shipped(GeneratorObjective.REFLOW).criticLearningRateRatio());
        assertThrows(IllegalArgumentException.class, () -> withCritic(GeneratorObjective.REFLOW, 0f, 4f));
        assertThrows(IllegalArgumentException.class, () -> withCritic(GeneratorObjective.ADVERSARIAL, 0.5f, 0f));
        assertThrows(IllegalArgumentException.class, () -> withCritic(GeneratorObjective.ADVERSARIAL, 0.5f, Float.NaN));
    }

    /** The critic follows the generator's warm-up and cosine decay, scaled by the ratio at every step. */
    @Test
    void theCriticsScheduleIsTheGeneratorsTimesTheRatio() {
        TrainingConfig config = withCritic(GeneratorObjective.ADVERSARIAL, 0.5f, 4f);
        for (int step = 0; step < config.steps(); step++) {
            assertEquals(4f * config.schedule().at(step), config.criticSchedule().at(step), 1e-8f);
        }
    }
}
