package io.un0.deploy.bench;

import io.un0.deploy.demo.Percentiles;
import io.un0.engine.EngineOptions;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The raw engine on this machine, set up as the edge workers run it (one single-threaded ONNX Runtime session per
 * worker, int8, one step), with no Kafka and no gRPC: what the mesh is compared with.
 */
public final class EngineBaseline {

    private EngineBaseline() {
    }

    /** Images per second with {@code sessions} sessions side by side, each running batches of {@code batch}. */
    public static double throughput(int sessions, int batch, Duration length) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<Future<Long>> images = new ArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < sessions; s++) {
            images.add(pool.submit(() -> {
                try (Un0Engine engine = open()) {
                    run(engine, batch, 0); // warm-up
                    long done = 0;
                    long until = System.nanoTime() + length.toNanos();
                    while (System.nanoTime() < until) {
                        run(engine, batch, done);
                        done += batch;
                    }
                    return done;
                }
            }));
        }
        long total = 0;
        for (Future<Long> f : images) {
            total += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return total / seconds;
    }

    /** Latency of one image at a time, one session: the floor under the mesh's interactive latency. */
    public static Percentiles singleImageLatency(int requests) {
        try (Un0Engine engine = open()) {
            for (int i = 0; i < 20; i++) {
                run(engine, 1, i);
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long t0 = System.nanoTime();
                run(engine, 1, i);
                millis.add((System.nanoTime() - t0) / 1e6);
            }
            return Percentiles.of(millis);
        }
    }

    private static Un0Engine open() {
        return Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_INT8), EngineOptions.cpu(1));
    }

    private static void run(Un0Engine engine, int batch, long seed) {
        int[] labels = new int[batch];
        long[] seeds = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
            seeds[i] = seed + i;
        }
        engine.generate(labels, seeds, 1);
    }
}
