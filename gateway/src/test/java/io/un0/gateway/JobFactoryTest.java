package io.un0.gateway;

import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.gateway.validation.RequestValidator;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.SubmitBatchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Jobs are made so that a redelivery or a resubmission makes the same work. */
class JobFactoryTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final JobFactory jobs = new JobFactory(new RequestValidator(
            new ModelCatalogue(List.of("t-shirt", "trouser", "sneaker"), List.of(1, 2), 64, 28), 64, 100), Duration.ofHours(24));

    @Test
    void interactiveJobsCarryClassSeedDeadlineAndReplyTo() {
        GenerateRequest r = GenerateRequest.newBuilder().setClassName("sneaker").setCount(3).setSeed(40).build();
        Job one = jobs.interactive(r, "tenant-a", "gw-1", NOW, NOW.plusSeconds(5), false).jobs().get(0);
        assertEquals(2, one.getClassId());
        assertEquals(3, one.getCount());
        assertEquals(40, one.getSeed());
        assertEquals("gw-1", one.getReplyTo());
        assertEquals(NOW.plusSeconds(5).getEpochSecond(), one.getDeadline().getSeconds());
        assertEquals(Priority.PRIORITY_INTERACTIVE, one.getPriority());

        List<Job> perImage = jobs.interactive(r, "tenant-a", "gw-1", NOW, NOW.plusSeconds(5), true).jobs();
        assertEquals(List.of(40L, 41L, 42L), perImage.stream().map(Job::getSeed).toList(), "image k draws seed + k, as in one job");
        assertEquals(List.of(1, 1, 1), perImage.stream().map(Job::getCount).toList());
    }

    @Test
    void idempotencyKeysAndBatchIdsFixIdsAndSeeds() {
        GenerateRequest keyed = GenerateRequest.newBuilder().setClassId(1).setIdempotencyKey("order-7").build();
        assertEquals(jobs.interactive(keyed, "tenant-a", "gw-a", NOW, NOW, false).requestId(), jobs.interactive(keyed, "tenant-a", "gw-b", NOW, NOW, false).requestId());
        assertNotEquals(jobs.interactive(keyed, "tenant-a", "gw-a", NOW, NOW, false).requestId(),
                jobs.interactive(keyed, "tenant-b", "gw-a", NOW, NOW, false).requestId(), "a key names a job within its tenant only");
        assertEquals("tenant-a", jobs.interactive(keyed, "tenant-a", "gw-a", NOW, NOW, false).jobs().get(0).getTenant());

        SubmitBatchRequest r = SubmitBatchRequest.newBuilder().setIdempotencyKey("nightly")
                .addItems(BatchItem.newBuilder().setClassId(0).setCount(2)).addItems(BatchItem.newBuilder().setClassId(1)).build();
        assertEquals(jobs.submission(r, "tenant-a").getBatchId(), jobs.submission(r, "tenant-a").getBatchId());
        assertNotEquals(jobs.submission(r, "tenant-a").getBatchId(), jobs.submission(r, "tenant-b").getBatchId());
        List<Job> first = jobs.batch(jobs.submission(r, "tenant-a"), NOW);
        List<Job> again = jobs.batch(jobs.submission(r, "tenant-a"), NOW.plusSeconds(60));
        assertEquals("tenant-a", first.get(0).getTenant());
        assertEquals(first.stream().map(Job::getJobId).toList(), again.stream().map(Job::getJobId).toList());
        assertEquals(first.stream().map(Job::getSeed).toList(), again.stream().map(Job::getSeed).toList());
        assertNotEquals(first.get(0).getSeed(), first.get(1).getSeed());
        assertEquals(Priority.PRIORITY_BATCH, first.get(0).getPriority());
        assertEquals(NOW.plus(Duration.ofHours(24)).getEpochSecond(), first.get(0).getDeadline().getSeconds(), "the default batch deadline");
    }
}
