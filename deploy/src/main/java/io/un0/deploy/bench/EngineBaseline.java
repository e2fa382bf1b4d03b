package io.un0.deploy.bench;

import io.un0.deploy.demo.Percentiles;
import io.un0.energy.PowerMeter;
import io.un0.energy.ProcessMeters;
import io.un0.engine.EngineOptions;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import io.un0.vocabulary.CpuEnergyModel;
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

    /**
     * What the engine alone did: images per second, and joules per image by this process's meter (RAPL's share where
     * readable, else the declared model: the same meters the mesh's processes use).
     */
    public record Throughput(double imagesPerSecond, double joulesPerImage, String energy) {
    }

    /** With {@code sessions} sessions side by side, each running batches of {@code batch}. */
    public static Throughput throughput(int sessions, int batch, Duration length) throws Exception {
        PowerMeter meter = ProcessMeters.auto(CpuEnergyModel.declared(CpuEnergyModel.DEFAULT_WATTS_PER_CORE));
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<Future<Long>> images = new ArrayList<>();
        long start = System.nanoTime();
        PowerMeter.Sample before = meter.sample();
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
        double joules = meter.joules(before, meter.sample());
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        // The warm-up batches count in the joules, not the images: a slight overstatement, the engine's disfavour.
        return new Throughput(total / seconds, joules / total, meter.describe());
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
