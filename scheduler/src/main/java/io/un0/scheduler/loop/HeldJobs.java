package io.un0.scheduler.loop;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.api.OpenTelemetry;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Deferral;
import io.un0.proto.mesh.v1.Job;
import io.un0.routing.JobView;
import io.un0.scheduler.mapping.InvalidEnvelopeException;
import io.un0.scheduler.mapping.JobViews;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Jobs waiting for a pool or for their hour, oldest first, and the deferred topic that keeps them across restarts and
 * rebalances (a job is written there in the pass that first holds it, its offset committed with that pass): when job
 * partitions come to this scheduler, their held jobs are read back before any job is routed. Loop thread only, except
 * {@link #count()}.
 */
final class HeldJobs implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HeldJobs.class.getName());

    private final SchedulerSettings settings;
    private final OpenTelemetry otel;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> deferredReader;
    private final Map<String, PendingJob> held = new LinkedHashMap<>();
    private volatile int count;

    HeldJobs(SchedulerSettings settings, OpenTelemetry otel, DeadLetters deadLetters, Clock clock) {
        this.clock = clock;
        this.settings = settings;
        this.otel = otel;
        this.deadLetters = deadLetters;
        this.deferredReader = MeshClients.reader(settings.kafka(), settings.instance() + "-deferred");
    }

    /**
     * A deferral goes to the partition number of its job's partition, so the deferred topic needs at least as many
     * partitions as the jobs topic (a topic created earlier with other settings keeps its own count).
     */
    void requireDeferredPartitions() throws InterruptedException {
        int jobPartitions = MeshTopics.partitions(deferredReader, MeshTopic.JOBS, Duration.ofSeconds(30)).size();
        int deferredPartitions = MeshTopics.partitions(deferredReader, MeshTopic.DEFERRED, Duration.ofSeconds(30)).size();
        if (deferredPartitions < jobPartitions) {
            throw new IllegalStateException(MeshTopic.DEFERRED.name() + " has " + deferredPartitions + " partitions, fewer than the "
                    + jobPartitions + " of " + MeshTopic.JOBS.name() + "; give it as many");
        }
    }

    /** Held jobs right now, from any thread (for the gauge). */
    int count() {
        return count;
    }

    boolean contains(String jobId) {
        return held.containsKey(jobId);
    }

    /** Holds a job, in place of any held under its id. */
    void hold(PendingJob job) {
        held.put(job.jobId(), job);
        count = held.size();
    }

    /** Takes out every job whose hold is over at {@code now}, oldest first. */
    List<PendingJob> due(Instant now) {
        List<PendingJob> due = new ArrayList<>();
        held.values().removeIf(p -> {
            boolean over = !p.holdUntil().isAfter(now);
            if (over) {
                due.add(p);
            }
            return over;
        });
        count = held.size();
        return due;
    }

    /** Takes out every held job {@code dropped} selects, oldest first. */
    List<PendingJob> drop(java.util.function.Predicate<Job> dropped) {
        List<PendingJob> out = new ArrayList<>();
        held.values().removeIf(p -> {
            boolean drop = dropped.test(p.job());
            if (drop) {
                out.add(p);
            }
            return drop;
        });
        count = held.size();
        return out;
    }

    /** Every held job, for the plan of deferred work. */
    Collection<PendingJob> all() {
        return held.values();
    }

    /** Drops the held jobs of partitions that moved to another scheduler: uncommitted or on the deferred topic, they reach it. */
    void revoke(Collection<TopicPartition> partitions) {
        held.values().removeIf(p -> partitions.contains(p.partition()));
        count = held.size();
    }

    /** Reads the deferred topic's partitions of these job partitions to their end: the last record per job wins, a tombstone retires it. */
    void restore(Collection<TopicPartition> jobPartitions) {
        if (jobPartitions.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = jobPartitions.stream().map(p -> new TopicPartition(MeshTopic.DEFERRED.name(), p.partition())).toList();
        deferredReader.assign(partitions);
        deferredReader.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = deferredReader.endOffsets(partitions);
        Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
        while (!partitions.stream().allMatch(p -> deferredReader.position(p) >= end.get(p))) {
            for (ConsumerRecord<String, byte[]> r : deferredReader.poll(Duration.ofMillis(200))) {
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r);
                }
            }
        }
        deferredReader.assign(List.of());
        Instant now = clock.instant();
        latest.values().forEach(r -> restore(r, now));
        count = held.size();
        if (!latest.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "scheduler {0} holds {1} deferred jobs again", settings.instance(), latest.size());
        }
    }

    private void restore(ConsumerRecord<String, byte[]> r, Instant now) {
        try {
            Deferral d = Deferral.parseFrom(r.value());
            JobView view = JobViews.of(d.getJob());
            if (!d.hasHoldUntil()) {
                throw new InvalidEnvelopeException("hold_until", "missing");
            }
            PendingJob pending = new PendingJob(new TopicPartition(MeshTopic.JOBS.name(), r.partition()), true,
                    d.getJob(), view, TraceHeaders.extract(otel, r.headers()), now, ProtoTime.instant(d.getHoldUntil()),
                    PendingJob.giveUpAt(d.getJob(), now, settings.maxHold()), d.getPool(), (double) view.images() * Math.max(1, d.getSteps()));
            held.putIfAbsent(pending.jobId(), pending);
        } catch (InvalidProtocolBufferException e) {
            deadLetters.send(r, "not an un0.mesh.v1.Deferral: " + e.getMessage());
        } catch (InvalidEnvelopeException e) {
            deadLetters.send(r, e.getMessage());
        }
    }

    @Override
    public void close() {
        deferredReader.close();
    }
}
