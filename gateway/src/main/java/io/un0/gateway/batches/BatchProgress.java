package io.un0.gateway.batches;

import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.kafka.RecordPlace;
import io.un0.gateway.results.AccountingTotal;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Batch;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One batch as the results topic tells it: which items are done, where their images are, the energy and carbon so far, and
 * the watchers to tell. Results may arrive before the submission is read (different topics): they are kept and
 * counted once the submission says how many items there are. Each item counts once, however often it is redelivered.
 */
final class BatchProgress {

    private final String batchId;
    private final List<Consumer<BatchEvent>> watchers = new CopyOnWriteArrayList<>();
    private final BitSet done = new BitSet();
    private final BitSet failed = new BitSet();
    /**
     * Where the results of finished items are on the results topic, in item order: every item before {@code next}
     * has finished. The images stay on Kafka, so a batch costs the gateway a few bytes per item, not its images.
     */
    private final List<RecordPlace> released = new ArrayList<>();
    /** Finished items that wait for an earlier item to finish, so that their images go out in item order. */
    private final TreeMap<Integer, RecordPlace> held = new TreeMap<>();
    private int next;
    private BatchSubmission submission;
    private Instant submitted;
    private Instant deadline;
    private BatchTracker.FirstSubmission first;
    private BatchState state = BatchState.BATCH_STATE_ACCEPTED;
    private final AccountingTotal total = new AccountingTotal();
    private Instant lastEvent;

    BatchProgress(String batchId, Instant now) {
        this.batchId = batchId;
        this.lastEvent = now;
    }

    /** @param deadline the batch's own, or the gateway's default for batches that set none */
    synchronized void submitted(BatchSubmission s, Instant at, Instant deadline, BatchTracker.FirstSubmission first) {
        if (submission != null) {
            return; // resubmitted under the same id: the expander ignores it, or dead-letters it when it differs
        }
        submission = s;
        submitted = at;
        this.deadline = deadline;
        this.first = first;
        lastEvent = at;
        settle();
        tell(null, "accepted: " + s.getItemsCount() + " items");
    }

    /** @param place where {@code r} is on the results topic */
    synchronized void result(JobResult r, RecordPlace place, Instant now) {
        int item = (int) r.getItemIndex();
        if (state == BatchState.BATCH_STATE_CANCELLED || done.get(item) || failed.get(item)) {
            return;
        }
        lastEvent = now;
        String detail;
        if (r.getStatus() == JobStatus.JOB_STATUS_SUCCEEDED) {
            done.set(item);
            total.add(r.getAccounting());
            held.put(item, place);
            detail = "item " + item + " done on " + r.getAccounting().getPool();
        } else {
            failed.set(item);
            detail = "item " + item + " failed: " + r.getError();
        }
        while (done.get(next) || failed.get(next)) {
            release(held.remove(next++));
        }
        if (state == BatchState.BATCH_STATE_ACCEPTED) {
            state = BatchState.BATCH_STATE_RUNNING;
        }
        settle();
        tell(item, detail);
    }

    synchronized void cancel(Instant now) {
        if (terminal()) {
            return;
        }
        state = BatchState.BATCH_STATE_CANCELLED;
        lastEvent = now;
        tell(null, "cancelled");
    }

    private void settle() {
        if (submission == null || terminal()) {
            return;
        }
        int total = submission.getItemsCount();
        if (done.cardinality() + failed.cardinality() >= total) {
            state = failed.isEmpty() ? BatchState.BATCH_STATE_SUCCEEDED : BatchState.BATCH_STATE_FAILED;
        }
    }

    synchronized boolean terminal() {
        return BatchStates.terminal(state);
    }

    synchronized Optional<BatchTracker.FirstSubmission> first() {
        return Optional.ofNullable(first);
    }

    synchronized boolean known() {
        return submission != null;
    }

    /** Whose batch it is, once submitted. */
    synchronized String tenant() {
        return submission == null ? "" : JobFactory.tenantOf(submission);
    }

    synchronized Instant lastEvent() {
        return lastEvent;
    }

    synchronized Batch snapshot() {
        Batch.Builder b = Batch.newBuilder().setBatchId(batchId).setState(state)
                .setDoneItems(done.cardinality()).setFailedItems(failed.cardinality())
                .setEnergy(total.energy()).setCarbon(total.carbon());
        total.boundary().ifPresent(b::setBoundary);
        if (submission != null) {
            b.setTotalItems(submission.getItemsCount()).setSubmitted(ProtoTime.timestamp(submitted)).setDeadline(ProtoTime.timestamp(deadline));
        }
        return b.build();
    }

    /** The events so far as one snapshot, then each change, until the batch ends. */
    synchronized Runnable watch(Consumer<BatchEvent> watcher) {
        watcher.accept(BatchEvent.newBuilder().setBatch(snapshot()).setDetail("now").build());
        if (terminal()) {
            return () -> { };
        }
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** Places of finished items from the {@code from}-th on, and whether no more will come. */
    record Released(List<RecordPlace> places, boolean ended) {
    }

    /** The places released from the {@code from}-th on, waiting up to {@code wait} for one while the batch runs. */
    synchronized Released releasedFrom(int from, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (released.size() <= from && !terminal()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        List<RecordPlace> places = released.size() <= from ? List.of() : List.copyOf(released.subList(from, released.size()));
        return new Released(places, terminal());
    }

    private void release(RecordPlace place) {
        if (place != null) { // null: a failed item, which has no images
            released.add(place);
            notifyAll();
        }
    }

    private void tell(Integer item, String detail) {
        BatchEvent.Builder e = BatchEvent.newBuilder().setBatch(snapshot()).setDetail(detail);
        if (item != null) {
            e.setItemIndex(item);
        }
        BatchEvent event = e.build();
        watchers.forEach(w -> w.accept(event));
        if (terminal()) {
            watchers.clear();
            // A cancelled batch may have gaps: what finished goes out, still in item order.
            held.values().forEach(this::release);
            held.clear();
            notifyAll();
        }
    }
}
