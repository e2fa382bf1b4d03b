package io.un0.gateway.jobs;

import io.un0.auth.Caller;
import io.un0.gateway.validation.RequestValidator;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.SubmitBatchRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns valid requests into jobs. Seeds are fixed here, before Kafka, so that a job redelivered to another worker
 * draws the same images; ids derive from idempotency keys and batch ids, so that resubmitting makes the same jobs.
 */
public final class JobFactory {

    private final RequestValidator validator;
    private final Duration batchDeadline;

    /** @param batchDeadline how long a batch that sets no deadline may take */
    public JobFactory(RequestValidator validator, Duration batchDeadline) {
        this.validator = validator;
        this.batchDeadline = batchDeadline;
    }

    /**
     * The jobs of one Generate call, and the id the caller is told: one job (with that id) for all its images, or
     * one per image ({@code <id>/<k>}) when they are to be streamed as each completes.
     */
    public record InteractiveJobs(String requestId, List<Job> jobs) {
    }

    /**
     * @param tenant   the caller's, from its credential: an idempotency key names a job only within its tenant
     * @param deadline when the caller stops waiting
     */
    public InteractiveJobs interactive(GenerateRequest r, String tenant, String replyTo, Instant now, Instant deadline, boolean perImage) {
        String jobId = r.getIdempotencyKey().isEmpty() ? UUID.randomUUID().toString() : derivedId("generate", tenant, r.getIdempotencyKey());
        long seed = r.hasSeed() ? r.getSeed() : ThreadLocalRandom.current().nextLong() >>> 1;
        int count = Math.max(1, r.getCount());
        Job.Builder job = Job.newBuilder().setClassId(validator.classId(r.getClassName(), r.getClassId(),
                        r.getImageClassCase() == GenerateRequest.ImageClassCase.CLASS_NAME))
                .setQuality(r.getQuality()).setPriority(Priority.PRIORITY_INTERACTIVE)
                .setDeadline(ProtoTime.timestamp(deadline)).addAllAllowedRegions(r.getAllowedRegionsList())
                .setAccepted(ProtoTime.timestamp(now)).setReplyTo(replyTo).setTenant(tenant);
        if (!perImage) {
            return new InteractiveJobs(jobId, List.of(job.setJobId(jobId).setCount(count).setSeed(seed).build()));
        }
        List<Job> jobs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            jobs.add(job.setJobId(jobId + "/" + k).setItemIndex(k).setCount(1).setSeed(seed + k).build());
        }
        return new InteractiveJobs(jobId, jobs);
    }

    /**
     * The submission a SubmitBatch call writes, under an id derived from its tenant and idempotency key when it has
     * one (so two tenants' keys never name one batch), for the caller's tenant.
     */
    public BatchSubmission submission(SubmitBatchRequest r, String tenant) {
        String batchId = r.getIdempotencyKey().isEmpty() ? "batch-" + UUID.randomUUID() : derivedId("batch", tenant, r.getIdempotencyKey());
        BatchSubmission.Builder s = BatchSubmission.newBuilder().setBatchId(batchId).setTenant(tenant).addAllItems(r.getItemsList())
                .setQuality(r.getQuality()).setDeferrable(r.getDeferrable()).addAllAllowedRegions(r.getAllowedRegionsList());
        if (r.hasDeadline()) {
            s.setDeadline(r.getDeadline());
        }
        return s.build();
    }

    /** The batch's own deadline, or {@code un0.gateway.batch-deadline} after it was accepted (written to Kafka). */
    public Instant deadline(BatchSubmission s, Instant accepted) {
        return s.hasDeadline() ? ProtoTime.instant(s.getDeadline()) : accepted.plus(batchDeadline);
    }

    /** One job per item, with ids and seeds that depend only on the batch id and the item's place. */
    public List<Job> batch(BatchSubmission s, Instant accepted) {
        Instant deadline = deadline(s, accepted);
        List<Job> jobs = new ArrayList<>(s.getItemsCount());
        for (int i = 0; i < s.getItemsCount(); i++) {
            BatchItem item = s.getItems(i);
            long seed = item.hasSeed() ? item.getSeed()
                    : UUID.nameUUIDFromBytes((s.getBatchId() + "#" + i).getBytes(StandardCharsets.UTF_8)).getMostSignificantBits() >>> 1;
            jobs.add(Job.newBuilder().setJobId(s.getBatchId() + "/" + i).setBatchId(s.getBatchId()).setItemIndex(i)
                    .setClassId(validator.classId(item.getClassName(), item.getClassId(),
                            item.getImageClassCase() == BatchItem.ImageClassCase.CLASS_NAME))
                    .setCount(Math.max(1, item.getCount())).setSeed(seed).setQuality(s.getQuality())
                    .setPriority(s.getDeferrable() ? Priority.PRIORITY_DEFERRABLE : Priority.PRIORITY_BATCH)
                    .setDeadline(ProtoTime.timestamp(deadline)).addAllAllowedRegions(s.getAllowedRegionsList())
                    .setAccepted(ProtoTime.timestamp(accepted)).setTenant(tenantOf(s)).build());
        }
        return jobs;
    }

    /** Whose batch: the tenant it names, or the default for a Kafka producer's batch that names none. */
    public static String tenantOf(BatchSubmission s) {
        return s.getTenant().isEmpty() ? Caller.DEFAULT_TENANT : s.getTenant();
    }

    /** The tenant's length first, so that no tenant and key run together into another pair's. */
    private static String derivedId(String kind, String tenant, String key) {
        return kind + "-" + UUID.nameUUIDFromBytes((kind + ":" + tenant.length() + ":" + tenant + ":" + key).getBytes(StandardCharsets.UTF_8));
    }
}
