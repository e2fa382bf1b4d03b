package io.un0.deploy.demo;

import static io.un0.bench.FiguresFile.significant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.MeshEnergy;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GenerateStreamResponse;
import io.un0.proto.v1.GeneratorGrpc;
import io.un0.proto.v1.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a user does first with the mesh: interactive images over gRPC (unary and streamed), then a batch written to
 * Kafka as JSON by a plain producer and followed over gRPC. Writes every PNG and a summary of speed, latency, energy
 * and carbon per image, each figure with its source.
 */
public final class DemoClient {

    private static final List<String> CLASSES = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
            "sneaker", "bag", "ankle-boot");

    private final ManagedChannel channel;
    /** The broker as the demo's batch submitter, which may write submissions and read results only. */
    private final KafkaAccess kafka;
    /** The broker as one who may read the processes' energy reports. */
    private final KafkaAccess energyReader;
    private final double gridIntensity;
    private final Path out;

    /** @param gridIntensity the grid the local mesh's processes draw from, gCO2e/kWh */
    public DemoClient(ManagedChannel channel, KafkaAccess kafka, KafkaAccess energyReader, double gridIntensity, Path out) {
        this.channel = channel;
        this.kafka = kafka;
        this.energyReader = energyReader;
        this.gridIntensity = gridIntensity;
        this.out = out;
    }

    /** @return the summary's figures, also written to {@code summary.json} */
    public Map<String, Object> run(int imagesPerClass, int batchItems, int imagesPerItem) throws Exception {
        Files.createDirectories(out.resolve("interactive"));
        Files.createDirectories(out.resolve("batch"));
        Tally interactive = new Tally();
        List<Double> latencies = new ArrayList<>();
        generator().generate(GenerateRequest.newBuilder().setClassId(0).build()); // warm-up, not counted
        long start = System.nanoTime();
        for (int c = 0; c < CLASSES.size(); c++) {
            long t0 = System.nanoTime();
            GenerateResponse r = generator().generate(GenerateRequest.newBuilder().setClassName(CLASSES.get(c))
                    .setCount(imagesPerClass).setSeed(1000L * c).build());
            latencies.add((System.nanoTime() - t0) / 1e6);
            interactive.add(r.getAccounting(), r.getImagesCount());
            for (Image image : r.getImagesList()) {
                write(out.resolve("interactive"), image, "");
            }
        }
        double interactiveSeconds = (System.nanoTime() - start) / 1e9;
        Iterator<GenerateStreamResponse> stream = generator().generateStream(GenerateRequest.newBuilder().setClassName("sneaker")
                .setCount(imagesPerClass).setSeed(77).build());
        int streamed = 0;
        while (stream.hasNext()) {
            GenerateStreamResponse r = stream.next();
            interactive.add(r.getAccounting(), 1);
            write(out.resolve("interactive"), r.getImage(), "streamed-");
            streamed++;
        }

        String batchId = "demo-" + System.currentTimeMillis();
        // The producer names the batch's tenant, the one the demo's gRPC channel is: only that tenant may watch it.
        StringBuilder json = new StringBuilder("{\"batchId\":\"" + batchId + "\",\"tenant\":\"" + Caller.TENANT_A.tenant() + "\",\"items\":[");
        for (int i = 0; i < batchItems; i++) {
            json.append(i == 0 ? "" : ",").append("{\"className\":\"").append(CLASSES.get(i % CLASSES.size()))
                    .append("\",\"count\":").append(imagesPerItem).append("}");
        }
        json.append("]}");
        Map<String, ProcessEnergy> energyBefore = MeshEnergy.latest(energyReader);
        long batchStart = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(kafka, "demo-client", Duration.ofSeconds(10))) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), batchId,
                    json.toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        BatchEvent last = BatchWatch.untilSucceeded(channel, batchId);
        double batchSeconds = (System.nanoTime() - batchStart) / 1e9;
        Thread.sleep(MeshEnergy.REPORTS_SETTLE.toMillis());
        Optional<MeshEnergy.Phase> batchEnergy = MeshEnergy.between(energyBefore, MeshEnergy.latest(energyReader), gridIntensity);
        int batchImages = 0;
        Iterator<BatchImage> images = batches().fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(batchId).build());
        while (images.hasNext()) {
            BatchImage image = images.next();
            batchImages++;
            write(out.resolve("batch"), image.getImage(), "item" + image.getItemIndex() + "-");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        Percentiles p = Percentiles.of(latencies);
        summary.put("interactive_requests", latencies.size());
        summary.put("interactive_images", interactive.images());
        summary.put("interactive_images_per_s", round(CLASSES.size() * imagesPerClass / interactiveSeconds));
        summary.put("interactive_latency_ms_p50", round(p.p50()));
        summary.put("interactive_latency_ms_p95", round(p.p95()));
        summary.put("interactive_latency_ms_p99", round(p.p99()));
        summary.put("streamed_images", streamed);
        summary.put("batch_id", batchId);
        summary.put("batch_state", last.getBatch().getState().name());
        summary.put("batch_images", batchImages);
        summary.put("batch_seconds", round(batchSeconds));
        summary.put("batch_images_per_s", round(batchImages / batchSeconds));
        // The engine runs' energy (what workers account per job) beside the whole mesh's, every process included.
        summary.put("joules_per_image_interactive", significant(interactive.joulesPerImage()));
        summary.put("joules_per_image_batch", significant(last.getBatch().getEnergy().getJoules() / Math.max(1, batchImages)));
        // The workers' processes over the batch's time, from their own reports (idle moments included: a small batch).
        summary.put("worker_joules_per_image_batch", batchEnergy.map(e -> significant(e.share().workerJoulesPerImage())).orElse(Double.NaN));
        summary.put("mesh_joules_per_image_interactive", significant(interactive.boundaryJoulesPerImage()));
        summary.put("mesh_joules_per_image_batch", last.getBatch().hasBoundary()
                ? significant(last.getBatch().getBoundary().getEnergy().getJoules() / Math.max(1, batchImages)) : Double.NaN);
        summary.put("mesh_energy_boundary", last.getBatch().getBoundary().getProcessesList());
        summary.put("gco2e_per_image_interactive", significant(interactive.gramsPerImage()));
        summary.put("gco2e_per_image_batch", significant(last.getBatch().getCarbon().getGramsCo2E() / Math.max(1, batchImages)));
        summary.put("energy_source", String.join("; ", interactive.energySources()));
        summary.put("carbon_source", String.join("; ", interactive.carbonSources()));
        summary.put("served_by", String.join("; ", interactive.pools()));
        summary.put("images_folder", out.toString());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("summary.json").toFile(), summary);
        return summary;
    }

    private static void write(Path folder, Image image, String prefix) throws IOException {
        Files.write(folder.resolve(prefix + image.getClassName() + "-seed" + image.getSeed() + ".png"), image.getPng().toByteArray());
    }

    private GeneratorGrpc.GeneratorBlockingStub generator() {
        return GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private BatchesGrpc.BatchesBlockingStub batches() {
        return BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
