package io.un0.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.un0.train.djl.DjlParameters;
import io.un0.train.net.HostTensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled state we can checkpoint (DJL's optimisers keep theirs private), plus an exponential moving
 * average of the weights, which is what gets exported: EMA weights sample noticeably cleaner than the raw ones.
 */
final class Adam implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final DjlParameters parameters;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> average = new LinkedHashMap<>();
    private final float averageDecay;

    Adam(DjlParameters parameters, NDManager parent, float averageDecay) {
        this.parameters = parameters;
        this.manager = parent.newSubManager();
        this.averageDecay = averageDecay;
        parameters.arrays().forEach((name, w) -> {
            firstMoment.put(name, manager.zeros(w.getShape()));
            secondMoment.put(name, manager.zeros(w.getShape()));
            average.put(name, w.duplicate());
            average.get(name).attach(manager);
        });
    }

    /** One update at learning rate {@code lr}; {@code step} counts from 1. Clears the gradients afterwards. */
    void update(int step, float lr) {
        float correction1 = 1f - (float) Math.pow(BETA1, step);
        float correction2 = 1f - (float) Math.pow(BETA2, step);
        // The average warms up so that early exports are not dominated by the random initial weights.
        float decay = Math.min(averageDecay, (1f + step) / (10f + step));
        try (NDManager scope = manager.newSubManager()) {
            // PyTorch arrays allocate their results in the manager of the array an operation is called on, so
            // every first result is moved into the step's scope to be freed with it.
            parameters.arrays().forEach((name, w) -> {
                NDArray g = inScope(w.getGradient(), scope);
                NDArray m = firstMoment.get(name);
                NDArray v = secondMoment.get(name);
                m.muli(BETA1).addi(g.mul(1f - BETA1));
                v.muli(BETA2).addi(g.square().muli(1f - BETA2));
                NDArray denominator = inScope(v.div(correction2), scope).sqrt().addi(EPSILON);
                w.subi(inScope(m.mul(lr / correction1), scope).divi(denominator));
                g.subi(g);
                average.get(name).muli(decay).addi(inScope(w.mul(1f - decay), scope));
            });
        }
    }

    private static NDArray inScope(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    Map<String, HostTensor> averageToHost() {
        return toHost(average);
    }

    /** Every piece of optimiser state under a prefix, for a checkpoint. */
    Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        toHost(firstMoment).forEach((k, v) -> out.put("adam.m/" + k, v));
        toHost(secondMoment).forEach((k, v) -> out.put("adam.v/" + k, v));
        toHost(average).forEach((k, v) -> out.put("ema/" + k, v));
        return out;
    }

    void restore(Map<String, HostTensor> checkpoint) {
        restore(checkpoint, "adam.m/", firstMoment);
        restore(checkpoint, "adam.v/", secondMoment);
        restore(checkpoint, "ema/", average);
    }

    private void restore(Map<String, HostTensor> checkpoint, String prefix, Map<String, NDArray> into) {
        into.forEach((name, a) -> {
            HostTensor t = checkpoint.get(prefix + name);
            if (t == null) {
                throw new IllegalStateException("checkpoint lacks " + prefix + name);
            }
            a.set(t.data());
        });
    }

    private static Map<String, HostTensor> toHost(Map<String, NDArray> arrays) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, new HostTensor(
                java.util.Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray(), a.toFloatArray())));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
