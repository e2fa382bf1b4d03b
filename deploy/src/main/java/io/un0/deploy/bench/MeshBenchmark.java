package io.un0.deploy.bench;

import io.grpc.ManagedChannel;
import static io.un0.bench.FiguresFile.significant;

import io.un0.bench.FiguresFile;
import io.un0.bench.Machine;
import io.un0.deploy.demo.BatchWatch;
import io.un0.deploy.demo.Percentiles;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.LocalCredentials.KafkaPrincipal;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshChannels;
import io.un0.deploy.mesh.MeshEnergy;
import io.un0.deploy.mesh.MeshOptions;
import io.un0.energy.BoundaryShare;
import io.un0.kafka.KafkaAccess;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.SubmitBatchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The mesh against the raw engine on the same machine: (a) images per second for batches, (b) the latency the mesh
 * adds to one interactive image at low load. The engine is measured first, with the mesh not yet started, set up as
 * the edge workers run it. Prints every run and writes docs/bench/mesh.json and mesh.md.
 */
@Command(name = "bench", description = "Load the mesh over gRPC (open and closed loop) and compare it with the raw engine.")
public final class MeshBenchmark implements Callable<Integer> {

    @Mixin
    io.un0.deploy.MeshSettings settings;

    @Option(names = "--seconds", description = "Length of each load run (default: ${DEFAULT-VALUE}).")
    int seconds = 20;

    @Option(names = "--batch-items", description = "Items of 32 images in the batch run (default: ${DEFAULT-VALUE}).")
    int batchItems = 150;

    @Option(names = "--probe", description = "Only the mesh at low load (5 requests/s of one image) with its stages, printed, nothing written.")
    boolean probe;

    @Option(names = "--docs", description = "Where mesh.json and mesh.md go (default: ${DEFAULT-VALUE}).")
    Path docs = Path.of("docs/bench");

    @Override
    public Integer call() throws Exception {
        MeshOptions options = settings.options();
        if (probe) {
            return probe(options);
        }
        int sessions = options.edgeWorkers();
        Duration length = Duration.ofSeconds(seconds);
        System.out.printf("raw engine: %d single-threaded int8 session(s), batches of 32, 1 step, %d s%n", sessions, seconds);
        EngineBaseline.Throughput engine = EngineBaseline.throughput(sessions, 32, length);
        double engineImagesPerSecond = engine.imagesPerSecond();
        Percentiles engineSingle = EngineBaseline.singleImageLatency(2000);
        System.out.printf("  %.1f images/s, %.4f J/image; one image at a time: p50 %.2f ms, p99 %.2f ms%n", engineImagesPerSecond,
                engine.joulesPerImage(), engineSingle.p50(), engineSingle.p99());

        List<LoadGenerator.Run> runs = new ArrayList<>();
        double batchImagesPerSecond;
        MeshEnergy.Phase energy;
        Map<String, Map<String, Double>> cpu;
        try (LocalMesh mesh = LocalMesh.start(options)) {
            ManagedChannel channel = MeshChannels.withToken(mesh.credentials(), options.gatewayPort(), Caller.TENANT_A);
            try {
                LoadGenerator load = new LoadGenerator(channel);
                System.out.println("mesh warm-up: " + load.closedLoop(2, Duration.ofSeconds(5), 8));
                // The JVMs compile the hot paths in their first minutes (a third of the mesh's CPU in a first batch,
                // measured): one batch unmeasured, so that the measured one shows the mesh as it runs for hours.
                System.out.printf("  warm-up batch: %.1f images/s%n", batch(channel, batchItems));
                KafkaAccess admin = mesh.kafkaAs(KafkaPrincipal.ADMIN);
                Map<String, Long> pids = new LinkedHashMap<>();
                mesh.brokers().forEach(b -> pids.put(b.name(), b.pid()));
                mesh.services().forEach(service -> pids.put(service.name(), service.pid()));
                Map<String, ProcessEnergy> before = MeshEnergy.latest(admin);
                ThreadCpu.Reading cpuBefore = ThreadCpu.read(pids);
                batchImagesPerSecond = batch(channel, batchItems);
                cpu = ThreadCpu.between(cpuBefore, ThreadCpu.read(pids));
                // Every process reports every 2 s: wait for reports from after the batch.
                Thread.sleep(MeshEnergy.REPORTS_SETTLE.toMillis());
                energy = MeshEnergy.between(before, MeshEnergy.latest(admin), options.gridIntensity()).orElseThrow(
                        () -> new IllegalStateException("the mesh's processes reported no energy over the batch (un0.process-energy.v1)"));
                System.out.printf("  batch of %d × 32 images via SubmitBatch: %.1f images/s; J/image: engine in the workers %.4f, worker processes %.4f, whole mesh %.4f%n",
                        batchItems, batchImagesPerSecond, energy.share().servedJoulesPerImage(), energy.share().workerJoulesPerImage(),
                        energy.share().processJoulesPerImage());
                for (LoadGenerator.Run run : List.of(
                        load.closedLoop(4, length, 32),
                        load.openLoop(5, length, 1),
                        load.openLoop(50, length, 1),
                        load.closedLoop(1, length, 1))) {
                    System.out.println("  " + run);
                    runs.add(run);
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        LoadGenerator.Run lowLoad = runs.get(1);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("machine", Machine.describe());
        figures.put("mesh_images_per_s", round(batchImagesPerSecond));
        figures.put("engine_images_per_s", round(engineImagesPerSecond));
        figures.put("mesh_to_engine_throughput", round(batchImagesPerSecond / engineImagesPerSecond));
        figures.put("closed_loop_4x32_images_per_s", round(runs.get(0).imagesPerSecond()));
        figures.put("p50_ms", round(lowLoad.latency().p50()));
        figures.put("p99_ms", round(lowLoad.latency().p99()));
        figures.put("engine_single_image_p50_ms", round(engineSingle.p50()));
        figures.put("engine_single_image_p99_ms", round(engineSingle.p99()));
        figures.put("added_p50_ms_low_load", round(lowLoad.latency().p50() - engineSingle.p50()));
        figures.put("added_p99_ms_low_load", round(lowLoad.latency().p99() - engineSingle.p99()));
        figures.put("stages_ms_low_load", lowLoad.stages().medians());
        BoundaryShare share = energy.share();
        figures.put("engine_joules_per_image", significant(engine.joulesPerImage()));
        figures.put("engine_in_workers_joules_per_image", significant(share.servedJoulesPerImage()));
        figures.put("worker_joules_per_image", significant(share.workerJoulesPerImage()));
        figures.put("mesh_joules_per_image", significant(share.processJoulesPerImage()));
        figures.put("mesh_to_engine_joules", round(share.processJoulesPerImage() / engine.joulesPerImage()));
        Map<String, Double> perProcess = new LinkedHashMap<>();
        energy.joulesByProcess().forEach((process, joules) -> perProcess.put(process, significant(joules / share.images())));
        figures.put("mesh_joules_per_image_by_process", perProcess);
        Map<String, Map<String, Double>> cpuPerImage = new LinkedHashMap<>();
        cpu.forEach((process, groups) -> {
            Map<String, Double> ms = new LinkedHashMap<>();
            // Groups under 0.01 ms per image are left out: threads that idled through the batch.
            groups.forEach((group, seconds) -> {
                double perImage = seconds * 1000 / (batchItems * 32);
                if (perImage >= 0.01) {
                    ms.put(group, round(perImage));
                }
            });
            cpuPerImage.put(process, ms);
        });
        figures.put("cpu_ms_per_image_by_thread", cpuPerImage);
        figures.put("low_load_mesh_joules_per_image", significant(lowLoad.boundaryJoulesPerImage()));
        figures.put("energy_boundary", share.processes());
        figures.put("energy_source", share.source().name().replace("ENERGY_SOURCE_", "").toLowerCase(Locale.ROOT)
                + "; the raw engine: " + engine.energy() + "; the mesh's processes: " + share.model());
        figures.put("setup", sessions + " edge worker(s) × 1 ONNX Runtime thread, int8, 1 step, max batch 32, max wait 2 ms, heartbeat 500 ms; "
                + "one scheduler, one gateway, one KRaft broker, each a process of its own, all on this machine; load from the launcher's process, "
                + "gRPC over TLS with a bearer token on every call; the brokers' and services' JVMs run with "
                + (options.jvmFlags().isEmpty() ? "the JVM's default flags" : String.join(" ", options.jvmFlags())));
        figures.put("low_load", "open loop, 5 requests/s of 1 image for " + seconds + " s; latency from the scheduled send");
        Files.createDirectories(docs);
        FiguresFile.merge(docs.resolve("mesh.json"), figures);
        Files.writeString(docs.resolve("mesh.md"), markdown(figures, runs, batchItems, engineImagesPerSecond, batchImagesPerSecond));
        System.out.println("wrote " + docs.resolve("mesh.json") + " and mesh.md");
        return 0;
    }

    private int probe(MeshOptions options) throws Exception {
        try (LocalMesh mesh = LocalMesh.start(options)) {
            ManagedChannel channel = MeshChannels.withToken(mesh.credentials(), options.gatewayPort(), Caller.TENANT_A);
            try {
                LoadGenerator load = new LoadGenerator(channel);
                System.out.println("mesh warm-up: " + load.closedLoop(2, Duration.ofSeconds(5), 8));
                System.out.println(load.openLoop(5, Duration.ofSeconds(seconds), 1));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    /** Images per second from submission to the last result of one batch. */
    private static double batch(ManagedChannel channel, int items) throws InterruptedException {
        SubmitBatchRequest.Builder r = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < items; i++) {
            r.addItems(BatchItem.newBuilder().setClassId(i % 10).setCount(32));
        }
        long t0 = System.nanoTime();
        String id = BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).submitBatch(r.build()).getBatchId();
        BatchWatch.untilSucceeded(channel, id);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return items * 32 / seconds;
    }

    private static String markdown(Map<String, Object> f, List<LoadGenerator.Run> runs, int batchItems, double engine, double mesh) {
        StringBuilder md = new StringBuilder("# Mesh benchmark\n\n");
        md.append("Written by `bin/un0-mesh bench` on ").append(f.get("machine")).append(".\n\n");
        md.append(f.get("setup")).append(".\n\n");
        md.append("| measure | mesh | raw engine | ratio / difference |\n|---|---|---|---|\n");
        md.append(String.format("| batch throughput (%d × 32 images, SubmitBatch to last result) | %.1f img/s | %.1f img/s | %.0f %% |%n",
                batchItems, mesh, engine, 100 * mesh / engine));
        md.append(String.format("| one image, low load, p50 | %s ms | %s ms | +%s ms |%n", f.get("p50_ms"), f.get("engine_single_image_p50_ms"), f.get("added_p50_ms_low_load")));
        md.append(String.format("| one image, low load, p99 | %s ms | %s ms | +%s ms |%n", f.get("p99_ms"), f.get("engine_single_image_p99_ms"), f.get("added_p99_ms_low_load")));
        md.append(String.format("| J per image in the batch, whole mesh | %s J | %s J | %s × |%n%n", f.get("mesh_joules_per_image"),
                f.get("engine_joules_per_image"), f.get("mesh_to_engine_joules")));
        md.append("Energy per image over the batch, from the processes' own reports on `un0.process-energy.v1` (")
                .append(f.get("energy_source")).append("):\n\n| inside the boundary | J/image |\n|---|---|\n");
        md.append(String.format("| the engine alone, no mesh (same meter, this launcher's process) | %s |%n", f.get("engine_joules_per_image")));
        md.append(String.format("| the engine runs inside the workers (what results carry as `accounting.energy`) | %s |%n", f.get("engine_in_workers_joules_per_image")));
        md.append(String.format("| the workers' processes | %s |%n", f.get("worker_joules_per_image")));
        md.append(String.format("| **the whole mesh** (every process below; what results carry as `accounting.boundary`) | **%s** |%n", f.get("mesh_joules_per_image")));
        ((Map<?, ?>) f.get("mesh_joules_per_image_by_process")).forEach((process, joules) -> md.append("| &nbsp;&nbsp;").append(process).append(" | ").append(joules).append(" |\n"));
        md.append(String.format("%nAt low load (5 images/s) the answers carried %s J/image for the whole boundary: the mesh's processes draw "
                + "whether or not images flow, and few images share it.%n%n", f.get("low_load_mesh_joules_per_image")));
        md.append("Where the CPU went over the measured batch, per image, thread by thread (the kernel's accounting, "
                + "`/proc/<pid>/task`; a profiler's samples of Java frames leave out compilation, GC and native inference):\n\n"
                + "| process | ms of CPU per image, by thread |\n|---|---|\n");
        ((Map<?, ?>) f.get("cpu_ms_per_image_by_thread")).forEach((process, groups) -> {
            StringBuilder row = new StringBuilder();
            ((Map<?, ?>) groups).forEach((group, ms) -> row.append(row.length() == 0 ? "" : ", ").append(group).append(" ").append(ms));
            md.append("| ").append(process).append(" | ").append(row).append(" |\n");
        });
        md.append('\n');
        md.append("Where one image's time goes at low load (medians; the stages add up to the request's latency):\n\n| stage | ms |\n|---|---|\n");
        ((Map<?, ?>) f.get("stages_ms_low_load")).forEach((stage, ms) -> md.append("| ").append(stage).append(" | ").append(ms).append(" |\n"));
        md.append('\n');
        md.append("Every load run (gRPC Generate; open loop counts latency from the scheduled send):\n\n```\n");
        runs.forEach(r -> md.append(r).append('\n'));
        md.append("```\n");
        return md.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
