package io.un0.scheduler.testing;

import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Precision;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Stand-ins for workers: real heartbeat records on the heartbeat topic, every beat, for as long as a test wants. */
public final class BeatingWorkers implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Heartbeat> beating = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-heartbeats"));

    public BeatingWorkers(String bootstrapServers, Duration every) {
        producer = MeshClients.producer(bootstrapServers, "test-workers", Duration.ofSeconds(10));
        timer.scheduleAtFixedRate(() -> beating.values().forEach(this::send), 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A CPU worker serving fp32 and int8. */
    public static Heartbeat worker(String worker, String pool, String region, int capacity, int queued) {
        return Heartbeat.newBuilder().setWorker(worker).setPool(pool).setSite("site-" + pool).setRegion(region)
                .setDeviceClass(DeviceClass.DEVICE_CLASS_CPU).addPrecisions(Precision.PRECISION_FP32)
                .addPrecisions(Precision.PRECISION_INT8).setCapacity(capacity).setQueueDepth(queued).build();
    }

    /** Beats now and from now on with this state (replacing the worker's previous one). */
    public void beat(Heartbeat heartbeat) {
        beating.put(heartbeat.getWorker(), heartbeat);
        send(heartbeat);
    }

    /** The worker falls silent, as a crashed one would. */
    public void silence(String worker) {
        beating.remove(worker);
    }

    private void send(Heartbeat h) {
        producer.send(new ProducerRecord<>(MeshTopic.HEARTBEATS.name(), h.getWorker(),
                h.toBuilder().setSent(ProtoTime.now()).build().toByteArray()));
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
