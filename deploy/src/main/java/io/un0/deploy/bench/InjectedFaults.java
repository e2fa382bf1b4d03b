package io.un0.deploy.bench;

import io.un0.deploy.demo.BatchWatch;
import io.un0.deploy.mesh.LocalCredentials.KafkaPrincipal;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.NodeNetworks;
import io.un0.deploy.mesh.ServiceProcess;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.SubmitBatchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Section {@code faults} of faults.json: a service killed (as a crash would, SIGKILL) while a batch of tenant-a's
 * runs, the batch watched to its end, then every image fetched and counted: none may be missing, none may come twice.
 * The batch is submitted through the second gateway and watched and fetched through the first. Each killed service
 * is started again before the next fault, so every fault meets the whole mesh. With two schedulers or more, the
 * second is killed while the first takes its job partitions over; with one, it is killed and started again. On a
 * cluster of three Kafka nodes or more, three more: the node leading the jobs topic's first partition killed, the
 * active controller killed, and the leader paused for 30 s; and where each node has a network of its own
 * ({@link NodeNetworks}), the leader cut off the network for 30 s. Beside each batch a caller asks for one image at a time
 * through the watching gateway ({@link InteractiveProbe}): its p99 and failures during the fault, the time until
 * callers are served again, and the batch's longest stall ({@link FaultTimeline}). Afterwards the batch's records on
 * each topic are counted, repeats included ({@link BatchRecords}).
 */
final class InjectedFaults {

    static final int IMAGES_PER_ITEM = 8;
    /** The probe's pace and each call's deadline: one image a quarter second, within the interactive deadline. */
    private static final Duration PROBE_EVERY = Duration.ofMillis(250);
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(10);
    private static final Duration PROBE_BASELINE = Duration.ofSeconds(5);
    /** Items done before the fault: the batch has started for certain, and most of it is still to come. */
    private static final int INJECT_AFTER_ITEMS = 3;
    /** Longer than the brokers' session timeout: the cluster declares the node gone and moves its partitions on. */
    private static final Duration PAUSE = Duration.ofSeconds(30);

    /** What to break once the batch is a few items in, and what to do once it has ended; each says what it did. */
    private record Fault(String name, Step inject, Step afterBatch) {
    }

    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    /**
     * One fault and the batch it met. {@code jobsLost}: items whose images did not all arrive; {@code jobsDoubled}:
     * items one of whose images (by seed) arrived more than once.
     */
    public record FaultOutcome(String fault, String batchId, String submittedVia, String watchedVia, int items, int imagesPerItem,
                               int itemsDoneWhenInjected, String injected, String batchState, int doneItems, int failedItems,
                               int imagesExpected, int imagesDelivered, int jobsLost, int jobsDoubled, double seconds, String afterwards,
                               FaultTimeline duringTheFault, List<BatchRecords.TopicCount> onTopics, boolean asExpected) {
    }

    /** @param notRun faults that were not run here, and why; empty when all were */
    public record Report(SectionRun run, String jobsLostMeans, String jobsDoubledMeans, String onTopicsMeans, String expected,
                         List<FaultOutcome> faults, boolean allAsExpected, List<String> notRun) {
    }

    private final LocalMesh mesh;
    private final GatewayChannels watchVia;
    private final GatewayChannels submitVia;
    private final int items;
    private final List<String> notRun;
    /** The node the kill fault took down, for its restart after the batch. */
    private int killedBroker;

    /** @param notRun faults the caller could not set up here, and why */
    InjectedFaults(LocalMesh mesh, GatewayChannels watchVia, GatewayChannels submitVia, int items, List<String> notRun) {
        this.mesh = mesh;
        this.watchVia = watchVia;
        this.submitVia = submitVia;
        this.items = items;
        this.notRun = List.copyOf(notRun);
    }

    Report run() throws Exception {
        Instant started = Instant.now();
        List<Fault> faults = new ArrayList<>(List.of(new Fault("kill edge-1, one of two edge workers (edge-2 keeps running)", () -> kill("edge-1"),
                () -> restart("edge-1"))));
        List<String> schedulers = mesh.schedulers();
        if (schedulers.size() >= 2) {
            String killed = schedulers.get(1);
            faults.add(new Fault("kill " + killed + ", one of " + schedulers.size() + " schedulers (the others take its job partitions over)",
                    () -> kill(killed), () -> restart(killed)));
        } else {
            faults.add(new Fault("kill the scheduler, then start it again", () -> kill("scheduler") + "; " + restart("scheduler"),
                    () -> "nothing: the scheduler was started again during the batch"));
        }
        faults.add(new Fault("kill " + submitVia.name() + ", through which the batch was submitted, while " + watchVia.name() + " watches it",
                () -> kill(submitVia.name()), () -> restart(submitVia.name())));
        if (mesh.brokers().size() >= 3) {
            // A replicated cluster: a node may go, as a crash or a long pause, and every record must survive it.
            faults.add(new Fault("kill the Kafka node leading the jobs topic's first partition (SIGKILL)", this::killJobsLeader, this::restartKilledBroker));
            faults.add(new Fault("kill the active KRaft controller, the metadata quorum's leader (SIGKILL; every node here is broker and controller both)",
                    this::killActiveController, this::restartKilledBroker));
            faults.add(new Fault("pause a Kafka node for " + PAUSE.toSeconds() + " s (SIGSTOP, then SIGCONT), the jobs topic's first partition's leader",
                    this::pauseJobsLeader, () -> "nothing: it went on during the batch"));
            if (mesh.networks().isPresent()) {
                faults.add(new Fault("cut the jobs topic's first partition's leader off the network for " + PAUSE.toSeconds()
                        + " s (its link down: packets to and from it dropped), then join it again", this::partitionJobsLeader,
                        () -> "nothing: it was joined again during the batch"));
            }
        }
        List<FaultOutcome> outcomes = new ArrayList<>();
        for (Fault f : faults) {
            FaultOutcome o = run(f);
            System.out.printf("  %-90s %s: %d items, %d lost, %d doubled, %.1f s%s%n", o.fault(), o.batchState(), o.items(), o.jobsLost(),
                    o.jobsDoubled(), o.seconds(), o.duringTheFault() == null ? "" : String.format("; a caller's p99 %.0f ms (%.0f before), failed %s, "
                            + "served again after %.1f s, longest stall %.1f s", o.duringTheFault().probeP99MsDuring(), o.duringTheFault().probeP99MsBefore(),
                            o.duringTheFault().probeFailedDuring(), o.duringTheFault().secondsToRecover(), o.duringTheFault().longestStallSeconds()));
            System.out.printf("    repeated on topics: %s%n", String.join(", ", o.onTopics().stream().map(t -> t.topic() + " " + t.repeated()).toList()));
            outcomes.add(o);
        }
        return new Report(SectionRun.since(started), "items whose images did not all arrive through FetchBatchImages (none, or fewer than asked)",
                "items one of whose images (item index and seed) arrived more than once",
                "per topic, the batch's records read back after it from the first written at or after its submission: records, the jobs they name, "
                        + "and repeated (records beyond the first per job: work or accounting done again, which callers never see)",
                "state SUCCEEDED, jobs_lost 0, jobs_doubled 0, "
                        + "and the fault injected while the batch ran", outcomes, outcomes.stream().allMatch(FaultOutcome::asExpected), notRun);
    }

    private FaultOutcome run(Fault fault) throws Exception {
        SubmitBatchRequest.Builder request = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < items; i++) {
            request.addItems(BatchItem.newBuilder().setClassId(i % 10).setCount(IMAGES_PER_ITEM));
        }
        InteractiveProbe probe = new InteractiveProbe(watchVia.tenantA(), PROBE_EVERY, PROBE_DEADLINE);
        Instant submitted;
        List<FaultTimeline.Progress> progress = new ArrayList<>();
        AtomicLong injectedAt = new AtomicLong();
        // The fault runs beside the watch, so that the watch sees every event while a service is down or starting.
        ExecutorService injector = Executors.newSingleThreadExecutor();
        AtomicReference<Future<String>> injection = new AtomicReference<>();
        AtomicInteger doneWhenInjected = new AtomicInteger(-1);
        BatchEvent last;
        String id;
        long t0;
        long ended;
        List<InteractiveProbe.Call> calls;
        try {
            // The caller's figures with the whole mesh up, before the batch: what the fault's are compared with.
            Thread.sleep(PROBE_BASELINE.toMillis());
            t0 = System.nanoTime();
            submitted = Instant.now();
            id = BatchesGrpc.newBlockingStub(submitVia.tenantA()).withDeadlineAfter(30, TimeUnit.SECONDS).submitBatch(request.build()).getBatchId();
            last = BatchWatch.untilEnded(watchVia.tenantA(), id, event -> {
                progress.add(new FaultTimeline.Progress(System.nanoTime(), event.getBatch().getDoneItems()));
                if (injection.get() == null && event.getBatch().getDoneItems() >= INJECT_AFTER_ITEMS) {
                    doneWhenInjected.set(event.getBatch().getDoneItems());
                    injection.set(injector.submit(() -> {
                        injectedAt.set(System.nanoTime());
                        return fault.inject().run();
                    }));
                }
            });
            ended = System.nanoTime();
        } finally {
            injector.shutdown();
            calls = probe.stop();
        }
        double seconds = (ended - t0) / 1e9;
        String injected = injected(injection.get());
        FaultTimeline timeline = injectedAt.get() == 0 ? null : FaultTimeline.of(calls, progress, injectedAt.get(), ended);
        Map<Integer, Map<Long, Integer>> deliveries = fetch(id);
        int delivered = deliveries.values().stream().flatMap(seeds -> seeds.values().stream()).mapToInt(Integer::intValue).sum();
        int lost = 0;
        int doubled = 0;
        for (int i = 0; i < items; i++) {
            Map<Long, Integer> seeds = deliveries.getOrDefault(i, Map.of());
            lost += seeds.size() < IMAGES_PER_ITEM ? 1 : 0;
            doubled += seeds.values().stream().anyMatch(n -> n > 1) ? 1 : 0;
        }
        String afterwards = fault.afterBatch().run();
        // A second's margin: records carry their producer's clock, which is this machine's.
        List<BatchRecords.TopicCount> onTopics = BatchRecords.read(mesh.kafkaAs(KafkaPrincipal.ADMIN), id, submitted.minusSeconds(1));
        BatchState state = last.getBatch().getState();
        boolean midBatch = doneWhenInjected.get() >= 0 && doneWhenInjected.get() < items && !injected.startsWith("failed");
        return new FaultOutcome(fault.name(), id, submitVia.label(), watchVia.label(), items, IMAGES_PER_ITEM, doneWhenInjected.get(), injected,
                state.name(), last.getBatch().getDoneItems(), last.getBatch().getFailedItems(), items * IMAGES_PER_ITEM, delivered, lost, doubled,
                Math.round(seconds * 10) / 10.0, afterwards, timeline, onTopics, state == BatchState.BATCH_STATE_SUCCEEDED && lost == 0 && doubled == 0 && midBatch);
    }

    /** What the fault did, or why it could not: a restart that fails is a finding of this run, not the end of it. */
    private static String injected(Future<String> injection) throws InterruptedException, TimeoutException {
        if (injection == null) {
            return "never: the batch ended first";
        }
        try {
            return injection.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        }
    }

    /** Every image of the batch, counted by item index and seed. */
    private Map<Integer, Map<Long, Integer>> fetch(String batchId) {
        Map<Integer, Map<Long, Integer>> deliveries = new HashMap<>();
        Iterator<BatchImage> images = BatchesGrpc.newBlockingStub(watchVia.tenantA()).withDeadlineAfter(5, TimeUnit.MINUTES)
                .fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(batchId).build());
        images.forEachRemaining(i -> deliveries.computeIfAbsent(i.getItemIndex(), k -> new HashMap<>()).merge(i.getImage().getSeed(), 1, Integer::sum));
        return deliveries;
    }

    private String killJobsLeader() throws Exception {
        int node = mesh.leaderOf(MeshTopic.JOBS, 0);
        mesh.brokers().get(node - 1).kill();
        killedBroker = node;
        return "Kafka node " + node + " killed (SIGKILL)";
    }

    private String killActiveController() throws Exception {
        int node = mesh.activeController();
        int jobsLeader = mesh.leaderOf(MeshTopic.JOBS, 0);
        mesh.brokers().get(node - 1).kill();
        killedBroker = node;
        return "Kafka node " + node + " killed (SIGKILL), the active controller" + (node == jobsLeader ? " and the jobs topic's first partition's leader" : "");
    }

    private String restartKilledBroker() throws Exception {
        long t0 = System.nanoTime();
        mesh.restartBroker(killedBroker);
        return String.format("Kafka node %d started again, ready in %.1f s", killedBroker, (System.nanoTime() - t0) / 1e9);
    }

    private String pauseJobsLeader() throws Exception {
        int node = mesh.leaderOf(MeshTopic.JOBS, 0);
        ServiceProcess broker = mesh.brokers().get(node - 1);
        broker.pause();
        try {
            Thread.sleep(PAUSE.toMillis());
        } finally {
            broker.resume();
        }
        return "Kafka node " + node + " paused " + PAUSE.toSeconds() + " s, then resumed";
    }

    private String partitionJobsLeader() throws Exception {
        int node = mesh.leaderOf(MeshTopic.JOBS, 0);
        NodeNetworks networks = mesh.networks().orElseThrow();
        networks.cut(node);
        try {
            Thread.sleep(PAUSE.toMillis());
        } finally {
            networks.heal(node);
        }
        return "Kafka node " + node + " cut off the network " + PAUSE.toSeconds() + " s, then joined again";
    }

    private String kill(String service) throws InterruptedException {
        mesh.service(service).kill();
        return service + " killed (SIGKILL)";
    }

    private String restart(String service) throws Exception {
        long t0 = System.nanoTime();
        mesh.restart(service);
        return String.format("%s started again, ready in %.1f s", service, (System.nanoTime() - t0) / 1e9);
    }
}
