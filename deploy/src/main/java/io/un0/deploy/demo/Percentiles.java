package io.un0.deploy.demo;

import java.util.Arrays;
import java.util.List;

/** Latency percentiles by the nearest-rank method, over a sample in milliseconds. */
public record Percentiles(int count, double p50, double p95, double p99, double max) {

    public static Percentiles of(List<Double> millis) {
        if (millis.isEmpty()) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
