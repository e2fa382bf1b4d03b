package io.un0.deploy.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.un0.deploy.demo.Percentiles;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GeneratorGrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives the gateway's Generate over gRPC. Open loop: requests leave on a fixed schedule whatever the answers do,
 * and latency counts from the scheduled time, so a slow mesh cannot hide its queueing (no coordinated omission).
 * Closed loop: a fixed number of callers, each sending its next request when the last is answered.
 */
public final class LoadGenerator {

    /**
     * What one run measured; images per second count only answered requests.
     *
     * @param boundaryJoulesPerImage the whole boundary's joules per image the answers carried (Accounting.boundary);
     *                               NaN where none carried one
     */
    public record Run(String mode, int requests, int failed, int images, double seconds, Percentiles latency, StageSplit stages,
                      double boundaryJoulesPerImage) {

        public double imagesPerSecond() {
            return images / seconds;
        }

        @Override
        public String toString() {
            return String.format("%-34s %5d req %3d failed %7.1f img/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms",
                    mode, requests, failed, imagesPerSecond(), latency.p50(), latency.p95(), latency.p99()) + "\n      " + stages;
        }
    }

    private final ManagedChannel channel;

    public LoadGenerator(ManagedChannel channel) {
        this.channel = channel;
    }

    public Run openLoop(double requestsPerSecond, Duration length, int imagesPerRequest) throws InterruptedException {
        int total = (int) Math.round(requestsPerSecond * length.toNanos() / 1e9);
        long interval = (long) (1e9 / requestsPerSecond);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        StageSplit stages = new StageSplit();
        BoundaryTally boundary = new BoundaryTally();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger images = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        GeneratorGrpc.GeneratorFutureStub stub = GeneratorGrpc.newFutureStub(channel);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            LockSupport.parkNanos(due - System.nanoTime());
            Futures.addCallback(stub.withDeadlineAfter(60, TimeUnit.SECONDS).generate(request(i, imagesPerRequest)), new FutureCallback<>() {
                @Override
                public void onSuccess(GenerateResponse r) {
                    double ms = (System.nanoTime() - due) / 1e6;
                    latencies.add(ms);
                    stages.add(ms, r);
                    boundary.add(r);
                    images.addAndGet(r.getImagesCount());
                    answered.countDown();
                }

                @Override
                public void onFailure(Throwable t) {
                    failed.incrementAndGet();
                    answered.countDown();
                }
            }, MoreExecutors.directExecutor());
        }
        answered.await(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(String.format("open loop %.0f req/s × %d img", requestsPerSecond, imagesPerRequest), total, failed.get(),
                images.get(), seconds, Percentiles.of(new ArrayList<>(latencies)), stages, boundary.joulesPerImage());
    }

    public Run closedLoop(int callers, Duration length, int imagesPerRequest) throws InterruptedException {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        StageSplit stages = new StageSplit();
        BoundaryTally boundary = new BoundaryTally();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger images = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        long start = System.nanoTime();
        long until = start + length.toNanos();
        for (int c = 0; c < callers; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < until) {
                    int i = requests.getAndIncrement();
                    long t0 = System.nanoTime();
                    try {
                        GenerateResponse r = GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                                .generate(request(i, imagesPerRequest));
                        double ms = (System.nanoTime() - t0) / 1e6;
                        latencies.add(ms);
                        stages.add(ms, r);
                        boundary.add(r);
                        images.addAndGet(r.getImagesCount());
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(length.toSeconds() + 120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(String.format("closed loop %d callers × %d img", callers, imagesPerRequest), requests.get(), failed.get(),
                images.get(), seconds, Percentiles.of(new ArrayList<>(latencies)), stages, boundary.joulesPerImage());
    }

    /** The whole boundary's joules over the answers that carried them. */
    private static final class BoundaryTally {
        private double joules;
        private int images;

        synchronized void add(GenerateResponse r) {
            if (r.getAccounting().hasBoundary()) {
                joules += r.getAccounting().getBoundary().getEnergy().getJoules();
                images += r.getImagesCount();
            }
        }

        synchronized double joulesPerImage() {
            return images == 0 ? Double.NaN : joules / images;
        }
    }

    private static GenerateRequest request(int i, int images) {
        return GenerateRequest.newBuilder().setClassId(i % 10).setCount(images).setSeed(i * 1000L).build();
    }
}
