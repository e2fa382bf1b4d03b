package io.un0.bench;

import io.un0.engine.Solver;

/** One generator configuration the benchmark measures: the model, its numeric precision, the solver and K. */
public record Setting(String model, String precision, Solver solver, int steps) {

    /** Network evaluations per image. */
    public int evaluations() {
        return solver.evaluations(steps);
    }

    /** The same model and solver at another precision or step count. */
    public Setting with(String otherPrecision, int otherSteps) {
        return new Setting(model, otherPrecision, solver, otherSteps);
    }

    /** As the figures file names it, e.g. {@code fm-baseline-fmnist_fp32_heun_k8}. */
    public String key() {
        return model + "_" + precision + "_" + solver.id() + "_k" + steps;
    }

    @Override
    public String toString() {
        return model + ", " + precision + ", " + steps + " " + solver.id() + (steps == 1 ? " step" : " steps");
    }
}
