package io.un0.train.trainer;

import ai.djl.ndarray.NDArray;
import io.un0.train.djl.DjlParameters;
import io.un0.train.djl.NonFiniteCount;
import io.un0.train.djl.TrainingDivergedException;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stops a training run at the first NaN or infinity and says where it arose: the step, then the forward op, the
 * parameter whose gradient or the parameter whose update went bad. Checking gradients and weights costs one
 * reduction per parameter per step; the op-by-op search runs only once the loss has diverged, as a replay.
 */
final class DivergenceGuard {

    private final String run;

    DivergenceGuard(String run) {
        this.run = run;
    }

    /**
     * Checks the loss of {@code step}; when it is not finite, runs {@code checkedReplay} (the step's forward pass and
     * loss again, through ops that check every result) to find the op that produced it.
     */
    void loss(int step, double loss, Supplier<NDArray> checkedReplay) {
        if (Double.isFinite(loss)) {
            return;
        }
        String where = diverged(step) + "loss " + loss;
        Optional<NonFiniteCount> replayed;
        try {
            replayed = NonFiniteCount.in(checkedReplay.get());
        } catch (TrainingDivergedException e) {
            throw new TrainingDivergedException(where + "; " + e.getMessage());
        }
        if (replayed.isPresent()) {
            throw new TrainingDivergedException(where + "; every op of the network gave finite values, the loss itself overflowed");
        }
        throw new TrainingDivergedException(where + ", but the same forward pass replayed op by op stayed finite: the"
                + " result does not reproduce, which points at a kernel or memory fault rather than the arithmetic");
    }

    /** A value of {@code step} that is not replayed op by op (the critic's loss): it must be finite. */
    void finite(int step, String what, double value) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(diverged(step) + what + " is " + value);
        }
    }

    /** After the backward pass of {@code step}, with a finite loss: every gradient must be finite. */
    void gradients(int step, DjlParameters parameters) {
        check(step, parameters, NDArray::getGradient, "backward gave a non-finite gradient to");
    }

    /** After the update of {@code step}: every weight must be finite. */
    void weights(int step, DjlParameters parameters) {
        check(step, parameters, Function.identity(), "the update left non-finite weights in");
    }

    private void check(int step, DjlParameters parameters, Function<NDArray, NDArray> tensorOf, String what) {
        for (Map.Entry<String, NDArray> p : parameters.arrays().entrySet()) {
            NDArray tensor = tensorOf.apply(p.getValue());
            Optional<NonFiniteCount> bad;
            try {
                bad = NonFiniteCount.in(tensor);
            } finally {
                if (tensor != p.getValue()) {
                    tensor.close(); // a gradient handle; the gradient itself lives on with its parameter
                }
            }
            bad.ifPresent(count -> {
                throw new TrainingDivergedException(diverged(step) + what + " '" + p.getKey() + "' (" + count + ")");
            });
        }
    }

    private String diverged(int step) {
        return run + " diverged at step " + step + ": ";
    }
}
