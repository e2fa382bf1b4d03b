package io.un0.train.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Optional;

/** How many values of an array are NaN or infinite: the evidence a divergence report quotes. */
public record NonFiniteCount(long nan, long infinite, long size) {

    /** Empty when every value of {@code a} is finite. */
    public static Optional<NonFiniteCount> in(NDArray a) {
        try (NDManager temporary = a.getManager().newSubManager()) {
            // A sum is finite whenever every term is (barring overflow): one reduction settles the usual case.
            if (Float.isFinite(temporary(a.sum(), temporary).getFloat())) {
                return Optional.empty();
            }
            long nan = temporary(temporary(a.isNaN(), temporary).countNonzero(), temporary).getLong();
            long infinite = temporary(temporary(a.isInfinite(), temporary).countNonzero(), temporary).getLong();
            return nan + infinite == 0 ? Optional.empty() : Optional.of(new NonFiniteCount(nan, infinite, a.size()));
        }
    }

    private static NDArray temporary(NDArray a, NDManager temporary) {
        a.attach(temporary);
        return a;
    }

    @Override
    public String toString() {
        return String.format("%,d NaN and %,d infinite of %,d values", nan, infinite, size);
    }
}
