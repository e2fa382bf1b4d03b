package io.un0.scheduler.loop;

import io.un0.auth.Caller;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.BatchSubmission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The batches their tenants have cancelled, as read from the batch submissions topic (where the gateway writes a
 * cancellation, from {@code CancelBatch} or a Kafka submission with {@code cancel} set): their jobs still held or
 * deferred, and any still arriving, are dropped unrun. A cancellation counts only for its own tenant's batch.
 * Written by the reader thread, read by the loop.
 */
final class BatchCancellations {

    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    void observe(BatchSubmission s) {
        if (s.getCancel() && !s.getBatchId().isEmpty()) {
            cancelled.add(key(tenant(s.getTenant()), s.getBatchId()));
        }
    }

    boolean cancelled(Job job) {
        return !job.getBatchId().isEmpty() && cancelled.contains(key(tenant(job.getTenant()), job.getBatchId()));
    }

    boolean isEmpty() {
        return cancelled.isEmpty();
    }

    private static String tenant(String declared) {
        return declared.isEmpty() ? Caller.DEFAULT_TENANT : declared;
    }

    /** The tenant's length first, so that no tenant and batch id run together into another pair's. */
    private static String key(String tenant, String batchId) {
        return tenant.length() + ":" + tenant + ":" + batchId;
    }
}
