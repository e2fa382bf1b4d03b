package io.un0.scheduler.loop;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.routing.JobView;
import io.un0.routing.Urgency;
import io.un0.scheduler.testing.RunningScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's bookkeeping, without a broker (its deferred-topic reader is never used here). */
class HeldJobsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final TopicPartition P0 = new TopicPartition("un0.jobs.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("un0.jobs.v1", 1);
    private final HeldJobs held = new HeldJobs(RunningScheduler.settings("127.0.0.1:1", "test", Duration.ofSeconds(10),
            Duration.ofMinutes(5)), OpenTelemetry.noop(), null, Clock.systemUTC());

    @AfterEach
    void close() {
        held.close();
    }

    private static PendingJob job(String id, TopicPartition partition) {
        Job job = Job.newBuilder().setJobId(id).setCount(1).build();
        JobView view = new JobView(id, 1, 1, 1, Set.of(), Set.of(), Urgency.BATCH, NOW.plusSeconds(3600));
        return PendingJob.read(partition, job, view, Context.root(), NOW, NOW.plusSeconds(3600));
    }

    @Test
    void jobsComeDueOldestFirstWhenTheirHoldIsOver() {
        PendingJob waiting = job("a", P0);
        PendingJob deferred = job("b", P0).deferredUntil(NOW.plusSeconds(60), "edge", 1);
        PendingJob another = job("c", P1);
        held.hold(waiting);
        held.hold(deferred);
        held.hold(another);
        assertEquals(3, held.count());
        assertEquals(List.of("a", "c"), held.due(NOW).stream().map(PendingJob::jobId).toList());
        assertEquals(1, held.count());
        assertTrue(held.contains("b"));
        assertEquals(List.of(), held.due(NOW.plusSeconds(59)));
        assertEquals(List.of("b"), held.due(NOW.plusSeconds(60)).stream().map(PendingJob::jobId).toList());
        assertEquals(0, held.count());
    }

    @Test
    void revokedPartitionsTakeTheirJobsAlong() {
        held.hold(job("a", P0));
        held.hold(job("b", P1));
        held.revoke(List.of(P0));
        assertFalse(held.contains("a"));
        assertTrue(held.contains("b"));
        assertEquals(1, held.count());
    }

    @Test
    void aJobHeldAgainAfterComingDueQueuesBehindTheOthers() {
        held.hold(job("a", P0).deferredUntil(NOW.plusSeconds(10), "edge", 1));
        PendingJob b = job("b", P0);
        held.hold(b);
        assertEquals(List.of("b"), held.due(NOW).stream().map(PendingJob::jobId).toList());
        held.hold(b);
        held.hold(job("c", P0));
        assertEquals(List.of("a", "b", "c"), held.due(NOW.plusSeconds(10)).stream().map(PendingJob::jobId).toList());
    }

    @Test
    void aJobWithoutADeadlineMayWaitTheLongestHoldFromItsAcceptance() {
        Instant accepted = NOW.minusSeconds(30);
        Job job = Job.newBuilder().setJobId("a").setAccepted(ProtoTime.timestamp(accepted)).build();
        assertEquals(accepted.plus(Duration.ofMinutes(5)), PendingJob.giveUpAt(job, NOW, Duration.ofMinutes(5)));
        assertEquals(NOW.plus(Duration.ofMinutes(5)), PendingJob.giveUpAt(Job.newBuilder().setJobId("b").build(), NOW, Duration.ofMinutes(5)));
        Instant deadline = NOW.plusSeconds(9);
        assertEquals(deadline, PendingJob.giveUpAt(job.toBuilder().setDeadline(ProtoTime.timestamp(deadline)).build(), NOW, Duration.ofMinutes(5)));
    }
}
