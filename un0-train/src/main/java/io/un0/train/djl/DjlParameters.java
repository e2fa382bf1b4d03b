package io.un0.train.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.un0.train.net.HostTensor;
import io.un0.train.net.ParameterInit;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network's parameters as DJL arrays, created on first use in forward order (so a seed fixes every initial
 * value) or loaded from host tensors.
 */
public final class DjlParameters implements AutoCloseable {

    private final NDManager manager;
    private final SplittableRandom initRandom;
    private final boolean trainable;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    public DjlParameters(NDManager parent, long seed, boolean trainable) {
        this.manager = parent.newSubManager();
        this.initRandom = new SplittableRandom(seed);
        this.trainable = trainable;
    }

    NDArray get(String name, int[] shape, ParameterInit init) {
        NDArray existing = arrays.get(name);
        if (existing != null) {
            long[] have = existing.getShape().getShape();
            if (!Arrays.equals(have, Arrays.stream(shape).asLongStream().toArray())) {
                throw new IllegalStateException("parameter " + name + " has shape " + Arrays.toString(have)
                        + " but the network asks for " + Arrays.toString(shape));
            }
            return existing;
        }
        return put(name, new HostTensor(shape, init.values(shape, initRandom)));
    }

    private NDArray put(String name, HostTensor value) {
        NDArray a = manager.create(value.data(), new Shape(Arrays.stream(value.shape()).asLongStream().toArray()));
        if (trainable) {
            a.setRequiresGradient(true);
        }
        arrays.put(name, a);
        return a;
    }

    public void load(Map<String, HostTensor> values) {
        for (NDArray a : arrays.values()) {
            a.close();
        }
        arrays.clear();
        values.forEach(this::put);
    }

    public Map<String, NDArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    /** Sets every gradient to zero: what a backward pass left in these parameters does not reach an update. */
    public void clearGradients() {
        for (NDArray w : arrays.values()) {
            try (NDArray g = w.getGradient()) {
                g.subi(g);
            }
        }
    }

    public Map<String, HostTensor> toHost() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name,
                new HostTensor(Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray(), a.toFloatArray())));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
