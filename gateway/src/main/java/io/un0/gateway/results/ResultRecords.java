package io.un0.gateway.results;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.runtime.ShutdownEvent;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.GatewayInstance;
import io.un0.gateway.kafka.RecordPlace;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.JobResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads results back from the results topic by where they were written, for batch images: the topic holds them (it
 * outlives a batch's deadline and retention, see {@code GatewayPlan}), so the gateway's heap does not. A few readers
 * are kept and shared by the calls in turn; a call that finds them all busy waits for one.
 */
@ApplicationScoped
public class ResultRecords {

    private final KafkaAccess kafka;
    private final String clientPrefix;
    private final Duration timeout;
    private final int readers;
    private final AtomicInteger made = new AtomicInteger();
    private final BlockingQueue<KafkaConsumer<String, byte[]>> idle;

    public ResultRecords(KafkaConfig kafkaConfig, GatewayInstance instance,
                         GatewayConfig config) {
        this.kafka = kafkaConfig.access();
        this.clientPrefix = "gateway-" + instance.id() + "-images-";
        this.timeout = config.sendTimeout().multipliedBy(3);
        this.readers = config.imageReaders();
        this.idle = new ArrayBlockingQueue<>(readers);
    }

    /** A result no longer on the topic ({@code gone}: its retention deleted it), or Kafka did not answer in time. */
    public static final class UnreadableException extends Exception {
        private final boolean gone;

        UnreadableException(String message, boolean gone) {
            super(message);
            this.gone = gone;
        }

        public boolean gone() {
            return gone;
        }
    }

    /** The results at {@code places}, in the same order. */
    public List<JobResult> read(List<RecordPlace> places) throws UnreadableException, InterruptedException {
        KafkaConsumer<String, byte[]> c = take();
        try {
            Map<RecordPlace, JobResult> found = new HashMap<>();
            Map<Integer, TreeMap<Long, RecordPlace>> byPartition = new TreeMap<>();
            places.forEach(p -> byPartition.computeIfAbsent(p.partition(), k -> new TreeMap<>()).put(p.offset(), p));
            for (Map.Entry<Integer, TreeMap<Long, RecordPlace>> e : byPartition.entrySet()) {
                readPartition(c, e.getKey(), e.getValue(), found);
            }
            List<JobResult> results = new ArrayList<>(places.size());
            places.forEach(p -> results.add(found.get(p)));
            return results;
        } finally {
            idle.add(c);
        }
    }

    /** One pass from the first wanted offset to the last: a batch's results lie close together on each partition. */
    private void readPartition(KafkaConsumer<String, byte[]> c, int partition, TreeMap<Long, RecordPlace> wanted,
                               Map<RecordPlace, JobResult> found) throws UnreadableException {
        TopicPartition tp = new TopicPartition(MeshTopic.RESULTS.name(), partition);
        c.assign(List.of(tp));
        c.seek(tp, wanted.firstKey());
        long last = wanted.lastKey();
        long until = System.nanoTime() + timeout.toNanos();
        int missing = wanted.size();
        while (missing > 0 && c.position(tp) <= last) {
            if (System.nanoTime() > until) {
                throw new UnreadableException("Kafka did not return results from " + tp + " within " + timeout, false);
            }
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                RecordPlace place = wanted.get(r.offset());
                if (place != null && !found.containsKey(place)) {
                    found.put(place, parse(r));
                    missing--;
                }
            }
        }
        if (missing > 0) {
            // The reader skipped to the start of the log: the record was deleted by the topic's retention.
            throw new UnreadableException(missing + " results on " + tp + " are no longer on the topic (retention "
                    + MeshTopic.RESULTS.retention() + " or " + MeshTopic.RESULTS.retentionBytes() + " bytes a partition)", true);
        }
    }

    private static JobResult parse(ConsumerRecord<String, byte[]> r) throws UnreadableException {
        try {
            return JobResult.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            throw new UnreadableException("result at " + r.partition() + "@" + r.offset() + " is unreadable: " + e.getMessage(), true);
        }
    }

    private KafkaConsumer<String, byte[]> take() throws InterruptedException {
        KafkaConsumer<String, byte[]> c = idle.poll();
        if (c != null) {
            return c;
        }
        int n = made.getAndIncrement();
        if (n < readers) {
            return MeshClients.reader(kafka, clientPrefix + n);
        }
        made.decrementAndGet();
        return idle.take();
    }

    void close(@Observes ShutdownEvent event) {
        for (KafkaConsumer<String, byte[]> c = idle.poll(); c != null; c = idle.poll()) {
            c.close(Duration.ofSeconds(1));
        }
    }
}
