package io.un0.gateway;

import com.google.protobuf.ByteString;
import io.un0.engine.GeneratedImage;
import io.un0.image.Png;
import io.un0.kafka.MeshClients;
import io.un0.proto.JobResults;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Plays the rest of the mesh on the real broker, so the gateway is tested alone: reads each job and answers on the
 * results topic as a worker would (keyed the same way, reply_to kept). Class 8 (bag) is answered "no capacity",
 * class 9 (ankle boot) never, to test failures and deadlines. The full mesh is tested end to end in deploy.
 */
final class MeshStandIn implements AutoCloseable {

    static final int NO_CAPACITY_CLASS = 8;
    static final int NEVER_ANSWERED_CLASS = 9;

    final Queue<ConsumerRecord<String, byte[]>> jobsSeen = new ConcurrentLinkedQueue<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;

    MeshStandIn(String bootstrapServers) {
        // In the schedulers' group, as the scheduler it stands in for: the gateway takes calls while that group has a member.
        consumer = MeshClients.groupMember(bootstrapServers, MeshTopic.SCHEDULER_GROUP, "stand-in", 100);
        producer = MeshClients.producer(bootstrapServers, "stand-in", Duration.ofSeconds(10));
        consumer.subscribe(MeshTopic.JOB_TOPICS.stream().map(MeshTopic::name).toList());
        // Joined before the tests send anything, so that no job waits for a rebalance.
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
            poll();
        }
        thread = new Thread(this::run, "mesh-stand-in");
        thread.start();
    }

    private void run() {
        while (running) {
            poll();
        }
        consumer.close();
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            jobsSeen.add(r);
            try {
                Job job = Job.parseFrom(r.value());
                if (job.getClassId() != NEVER_ANSWERED_CLASS) {
                    JobResult result = answer(job);
                    producer.send(new ProducerRecord<>(MeshTopic.RESULTS.name(), JobResults.key(result), result.toByteArray())).get();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        consumer.commitSync();
    }

    private static JobResult answer(Job job) {
        if (job.getClassId() == NO_CAPACITY_CLASS) {
            return JobResults.failed(job, FailureKind.FAILURE_KIND_NO_CAPACITY, "no live pool with room");
        }
        JobResult.Builder r = JobResults.answering(job);
        r.setStatus(JobStatus.JOB_STATUS_SUCCEEDED).setAccounting(Accounting.newBuilder().setPool("stand-in").setSteps(1)
                .setEnergy(Energy.newBuilder().setJoules(0.01 * job.getCount()).setSource(EnergySource.ENERGY_SOURCE_MODELLED).setModel("test"))
                .setCarbon(Carbon.newBuilder().setGramsCo2E(0.001 * job.getCount())));
        for (int k = 0; k < job.getCount(); k++) {
            float[] pixels = new float[28 * 28];
            java.util.Arrays.fill(pixels, k % 2 == 0 ? -1f : 1f);
            r.addPng(ByteString.copyFrom(Png.encode(new GeneratedImage(job.getClassId(), job.getSeed() + k, 1, 28, pixels))))
                    .addSeeds(job.getSeed() + k);
        }
        return r.build();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        producer.close();
    }
}
