package io.un0.gateway.results;

import io.un0.proto.v1.JobResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Calls of this instance waiting for their jobs' results, by job id. The first result of a job wins. */
@ApplicationScoped
public class PendingReplies {

    private final Map<String, Consumer<JobResult>> waiting = new ConcurrentHashMap<>();

    /** Register before the job is sent, so that even the fastest result finds its caller. */
    public void await(String jobId, Consumer<JobResult> onResult) {
        waiting.put(jobId, onResult);
    }

    public void forget(String jobId) {
        waiting.remove(jobId);
    }

    /** @return whether a caller was waiting; a redelivered result finds none and is dropped here */
    boolean complete(JobResult result) {
        Consumer<JobResult> caller = waiting.remove(result.getJobId());
        if (caller == null) {
            return false;
        }
        caller.accept(result);
        return true;
    }

    public int size() {
        return waiting.size();
    }
}
