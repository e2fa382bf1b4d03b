package io.un0.scheduler.console;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.kafka.ConsumerThreads;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.JobResult;
import io.un0.scheduler.SchedulerConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the decision records and the results' accounts of the last hour, and then as they come, into {@link RecentActivity}
 * for the console. Outside any consumer group (every scheduler's console sees every decision) and apart from
 * routing: if it stops, the console says why and routing goes on. A record it cannot read is skipped here; the
 * services that consume those topics put it on the dead-letter topic.
 */
@Singleton
public class ConsoleFeed {

    private static final System.Logger LOG = System.getLogger(ConsoleFeed.class.getName());
    static final Duration WINDOW = Duration.ofHours(1);

    private final KafkaConfig kafka;
    private final String instance;
    private final RecentActivity activity = new RecentActivity(WINDOW);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    ConsoleFeed(KafkaConfig kafka, SchedulerConfig config) {
        this.kafka = kafka;
        this.instance = config.instance();
    }

    void start(@Observes StartupEvent e) {
        // Half a second behind at most: the console shows minutes.
        consumer = MeshClients.gatheringReader(kafka.access(), instance + "-console", Duration.ofMillis(500));
        thread = new Thread(this::read, "un0-console-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        running.set(false);
        if (consumer != null) {
            consumer.wakeup();
            thread.join(5_000);
        }
    }

    public RecentActivity.View view() {
        return activity.view(Instant.now());
    }

    /** Why the feed stopped, if it did: the console shows it beside what it read until then. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void read() {
        try {
            ConsumerThreads.guarded(running::get, () -> {
                List<TopicPartition> partitions = new ArrayList<>();
                // The accounting topic has every result without its images: the console needs no PNG.
                for (MeshTopic t : List.of(MeshTopic.DECISIONS, MeshTopic.ACCOUNTING)) {
                    partitions.addAll(MeshTopics.partitions(consumer, t, Duration.ofSeconds(30)));
                }
                consumer.assign(partitions);
                seekToWindowStart(partitions);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        observe(r);
                    }
                }
            }, why -> {
                failure = why;
                LOG.log(System.Logger.Level.WARNING, "the console's feed stopped; routing goes on: " + why, why);
            });
        } finally {
            consumer.close();
        }
    }

    private void seekToWindowStart(List<TopicPartition> partitions) {
        long from = Instant.now().minus(WINDOW).toEpochMilli();
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = offsets.get(p);
            if (o == null) {
                consumer.seekToEnd(List.of(p));
            } else {
                consumer.seek(p, o.offset());
            }
        }
    }

    private void observe(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(MeshTopic.DECISIONS.name())) {
                activity.decision(Decision.parseFrom(r.value()));
            } else {
                activity.result(JobResult.parseFrom(r.value()), Instant.ofEpochMilli(r.timestamp()));
            }
        } catch (InvalidProtocolBufferException unreadable) {
            LOG.log(System.Logger.Level.DEBUG, "console skips an unreadable record at {0}-{1}@{2}", r.topic(), r.partition(), r.offset());
        }
    }
}
