package io.un0.train.cli;

import io.un0.model.ModelPackage;
import io.un0.train.trainer.TeacherPairs;
import io.un0.vocabulary.Precision;
import picocli.CommandLine.Option;

/** Which generator teaches a reflow run, and how its pairs are made. */
public final class TeacherSelection {

    @Option(names = "--teacher", description = "reflow: the teacher generator's package, a folder or a shipped name (default: fm-baseline-fmnist-fp32).")
    String teacher;

    @Option(names = "--teacher-solver", defaultValue = "heun", description = "reflow: the teacher's solver (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--teacher-steps", defaultValue = "8", description = "reflow: the teacher's step count (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--pairs", description = "reflow: (noise, image) pairs the teacher makes, noise seeds from the run's seed on"
            + " (default: as many as training images; 64 with --smoke).")
    Integer pairs;

    ModelPackage open() {
        return ModelPackage.open(teacher != null ? teacher : ModelPackage.generator(ModelPackage.BASELINE_MODEL, Precision.FP32));
    }

    TeacherPairs.Spec spec(ModelPackage teacherPackage, int defaultPairs, long seed) {
        return new TeacherPairs.Spec(teacherPackage.manifest().name() + "-" + teacherPackage.manifest().precision(), solver, steps,
                pairs != null ? pairs : defaultPairs, seed);
    }
}
