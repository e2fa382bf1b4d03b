package io.un0.deploy.bench;

import io.grpc.ManagedChannel;
import io.un0.deploy.demo.BatchWatch;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.SubmitBatchRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Section {@code gateway_heap} of faults.json: the first gateway's heap after a full collection before a sustained
 * load of tenant-a's, every minute during it and after it. The load is Generate calls from a few callers plus a
 * steady stream of batches, each fetched whole once it ends. The gateway keeps batch images on the results topic,
 * not on its heap, so the heap should not grow with the images that pass through.
 */
final class GatewayHeap {

    private static final int GENERATE_CALLERS = 3;
    private static final int IMAGES_PER_CALL = 8;
    private static final int BATCH_ITEMS = 50;
    private static final int IMAGES_PER_BATCH_ITEM = 8;
    private static final Duration BATCH_EVERY = Duration.ofSeconds(10);
    /** Batches followed to their end at once: enough that a slow batch never holds up the next one's. */
    private static final int BATCH_FOLLOWERS = 4;

    /** The heap used and held after a full collection; {@code when} says where in the run. */
    public record Sample(String when, String at, long usedBytes, long committedBytes) {

        @Override
        public String toString() {
            return String.format("%s: heap used %.1f MiB of %.1f MiB held, after a full collection", when, usedBytes / 1048576.0,
                    committedBytes / 1048576.0);
        }
    }

    public record Load(int minutes, String started, String ended, String generate, int generateCalls, int generateFailed, long generateImages, String batches,
                       int batchesSubmitted, int batchSubmissionsFailed, int batchesSucceeded, int batchesEndedOtherwise, String firstBatchProblem,
                       long batchImagesFetched, long imagesTotal) {
    }

    public record Report(SectionRun run, String gateway, long pid, String heapLimit, String method, Load load, Sample before, List<Sample> during,
                         Sample after, double afterToBefore) {
    }

    private final LocalMesh mesh;
    private final GatewayChannels gateway;

    GatewayHeap(LocalMesh mesh, GatewayChannels gateway) {
        this.mesh = mesh;
        this.gateway = gateway;
    }

    Report run(int minutes) throws Exception {
        Instant started = Instant.now();
        long pid = mesh.service(gateway.name()).pid();
        Sample before = sample(pid, "before the load");
        System.out.printf("  %s%n", before);
        Instant loadStarted = Instant.now();
        long loadStart = System.nanoTime();
        ExecutorService generator = Executors.newSingleThreadExecutor();
        Future<LoadGenerator.Run> generated = generator.submit(() -> new LoadGenerator(gateway.tenantA())
                .closedLoop(GENERATE_CALLERS, Duration.ofMinutes(minutes), IMAGES_PER_CALL));
        generator.shutdown();
        BatchStream batches = new BatchStream(gateway.tenantA());
        ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();
        submitter.scheduleAtFixedRate(batches::submitOne, 0, BATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        List<Sample> during = new ArrayList<>();
        for (int minute = 1; minute <= minutes; minute++) {
            TimeUnit.NANOSECONDS.sleep(loadStart + TimeUnit.MINUTES.toNanos(minute) - System.nanoTime());
            Sample s = sample(pid, "minute " + minute + " of the load");
            System.out.printf("  %s; %d batches submitted%n", s, batches.submitted.get());
            during.add(s);
        }
        // Cancels the next submissions; one under way finishes, so no batch is left half-submitted.
        submitter.shutdown();
        submitter.awaitTermination(1, TimeUnit.MINUTES);
        LoadGenerator.Run run = generated.get();
        batches.finish();
        Instant loadEnded = Instant.now();
        Sample after = sample(pid, "after the load, every batch fetched");
        System.out.printf("  %s%n", after);
        Load load = new Load(minutes, loadStarted.toString(), loadEnded.toString(), String.format("closed loop: %d callers, each a Generate of %d images after the last is answered",
                GENERATE_CALLERS, IMAGES_PER_CALL), run.requests(), run.failed(), run.images(),
                String.format("a batch of %d items × %d images every %d s, each watched to its end and then fetched whole (FetchBatchImages)",
                        BATCH_ITEMS, IMAGES_PER_BATCH_ITEM, BATCH_EVERY.toSeconds()),
                batches.submitted.get(), batches.submitFailed.get(), batches.succeeded.get(), batches.endedOtherwise.get(),
                batches.firstProblem.get() == null ? "" : batches.firstProblem.get(), batches.imagesFetched.get(),
                run.images() + batches.imagesFetched.get());
        return new Report(SectionRun.since(started), gateway.label(), pid, "-Xmx512m, as the launcher starts every service",
                "jcmd <pid> GC.run (a full collection), then jcmd <pid> GC.heap_info: the bytes its generations use and hold",
                load, before, during, after, Math.round(1000.0 * after.usedBytes() / before.usedBytes()) / 1000.0);
    }

    private static Sample sample(long pid, String when) throws IOException, InterruptedException {
        HeapUsage heap = HeapUsage.afterFullCollection(pid);
        return new Sample(when, Instant.now().toString(), heap.usedBytes(), heap.committedBytes());
    }

    /** Tenant-a's batches, one every {@link #BATCH_EVERY}, each followed to its end and fetched by one of a few followers. */
    private static final class BatchStream {

        private final ManagedChannel channel;
        private final ExecutorService followers = Executors.newFixedThreadPool(BATCH_FOLLOWERS);
        private final AtomicInteger submitted = new AtomicInteger();
        private final AtomicInteger submitFailed = new AtomicInteger();
        private final AtomicInteger succeeded = new AtomicInteger();
        private final AtomicInteger endedOtherwise = new AtomicInteger();
        private final AtomicLong imagesFetched = new AtomicLong();
        private final AtomicReference<String> firstProblem = new AtomicReference<>();

        BatchStream(ManagedChannel channel) {
            this.channel = channel;
        }

        /** Never throws: a periodic task that throws is never run again. */
        void submitOne() {
            SubmitBatchRequest.Builder r = SubmitBatchRequest.newBuilder();
            for (int i = 0; i < BATCH_ITEMS; i++) {
                r.addItems(BatchItem.newBuilder().setClassId(i % 10).setCount(IMAGES_PER_BATCH_ITEM));
            }
            try {
                String id = BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).submitBatch(r.build()).getBatchId();
                submitted.incrementAndGet();
                followers.execute(() -> follow(id));
            } catch (RuntimeException e) {
                submitFailed.incrementAndGet();
                firstProblem.compareAndSet(null, "submitting: " + e);
            }
        }

        private void follow(String id) {
            try {
                BatchEvent last = BatchWatch.untilEnded(channel, id, event -> { });
                if (last.getBatch().getState() == BatchState.BATCH_STATE_SUCCEEDED) {
                    succeeded.incrementAndGet();
                } else {
                    endedOtherwise.incrementAndGet();
                    firstProblem.compareAndSet(null, "batch " + id + " ended " + last.getBatch().getState());
                }
                BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES)
                        .fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(id).build())
                        .forEachRemaining(image -> imagesFetched.incrementAndGet());
            } catch (RuntimeException e) {
                endedOtherwise.incrementAndGet();
                firstProblem.compareAndSet(null, "following batch " + id + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until every batch submitted is followed to its end and fetched. */
        void finish() throws InterruptedException {
            followers.shutdown();
            if (!followers.awaitTermination(10, TimeUnit.MINUTES)) {
                followers.shutdownNow();
                firstProblem.compareAndSet(null, "batches still being followed 10 minutes after the load");
            }
        }
    }
}
