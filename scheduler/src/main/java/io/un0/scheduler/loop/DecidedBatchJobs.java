package io.un0.scheduler.loop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batch jobs this scheduler assigned, shed or cancelled lately, by id. A gateway that dies while it expands a
 * batch leaves the submission to another, which writes every job again under the same ids and seeds; a copy of a job
 * decided here already is passed over, where it would otherwise be run twice. Only batch jobs: a caller's job may be
 * sent again under its id on purpose (an idempotent retry), and must then be decided again. At-least-once still holds
 * where this memory does not reach (another scheduler, a restart, the oldest ids forgotten). Loop thread only.
 */
final class DecidedBatchJobs {

    private final Map<String, Boolean> ids;

    /** @param capacity how many ids it remembers, the most recent; the largest batch is 10,000 jobs */
    DecidedBatchJobs(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    void decided(String jobId) {
        ids.put(jobId, Boolean.TRUE);
    }

    boolean contains(String jobId) {
        return ids.containsKey(jobId);
    }
}
