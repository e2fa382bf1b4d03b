package io.un0.gateway.batches;

import com.google.protobuf.ByteString;
import io.smallrye.mutiny.Multi;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.jobs.Fingerprint;
import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.results.ResultImages;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.proto.v1.Batch;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.JobResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every batch's progress, built by each gateway instance from the submissions and results topics alone, so that
 * any instance answers GetBatch, WatchBatch and FetchBatchImages whichever instance (or Kafka producer) submitted it.
 */
@ApplicationScoped
public class BatchTracker {

    private final Map<String, BatchProgress> batches = new ConcurrentHashMap<>();
    /** Per partition of the submissions topic, the next offset this instance's reader will read. */
    private final Map<Integer, Long> read = new ConcurrentHashMap<>();
    private final ModelCatalogue catalogue;
    private final JobFactory jobs;
    private final Duration retention;

    public BatchTracker(ModelCatalogue catalogue, JobFactory jobs, GatewayConfig config) {
        this.catalogue = catalogue;
        this.jobs = jobs;
        this.retention = config.batchRetention();
    }

    /** Where a record is on the submissions topic. */
    public record Place(int partition, long offset) {
    }

    /** The first submission of a batch id, and where it was written. */
    public record FirstSubmission(Place place, ByteString fingerprint) {
    }

    /** @param place where it was written: the first valid submission of a batch id is the batch */
    public void submitted(BatchSubmission s, Instant at, Place place) {
        if (s.getCancel()) {
            progress(s.getBatchId(), at).cancel(at);
        } else {
            progress(s.getBatchId(), at).submitted(s, at, jobs.deadline(s, at), new FirstSubmission(place, fingerprint(s)));
        }
        forgetOlderThan(at.minus(retention));
    }

    /** The reader has read the submissions topic's {@code partition} up to {@code nextOffset}. */
    public void readUpTo(int partition, long nextOffset) {
        read.merge(partition, nextOffset, Math::max);
        synchronized (read) {
            read.notifyAll();
        }
    }

    /**
     * The first submission of {@code batchId} once this instance has read the submissions topic past {@code place}
     * (the same topic the expander reads, so that whether a submission is the batch's first is decided alike);
     * empty when the reader is not that far within {@code wait}.
     */
    public Optional<FirstSubmission> firstSubmission(String batchId, Place place, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (read) {
            while (read.getOrDefault(place.partition(), 0L) <= place.offset()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                read.wait(Math.max(1, left / 1_000_000));
            }
        }
        BatchProgress p = batches.get(batchId);
        return p == null ? Optional.empty() : p.first();
    }

    /** The fingerprint of the batch {@code batchId} names, where this instance knows one. */
    public Optional<ByteString> fingerprintOf(String batchId) {
        BatchProgress p = batches.get(batchId);
        return p == null ? Optional.empty() : p.first().map(FirstSubmission::fingerprint);
    }

    /** What decides a batch: everything a submission says but its deadline, which a retry may compute anew. */
    public static ByteString fingerprint(BatchSubmission s) {
        return Fingerprint.of(s.toBuilder().clearDeadline().build());
    }

    public void result(JobResult r, Instant now) {
        List<BatchImage> images = ResultImages.of(r, catalogue, 0).stream()
                .map(i -> BatchImage.newBuilder().setItemIndex(r.getItemIndex()).setImage(i).setAccounting(r.getAccounting()).build())
                .toList();
        progress(r.getBatchId(), now).result(r, images, now);
    }

    /** Empty for a batch this instance has not seen submitted (unknown, or forgotten after the retention). */
    public Optional<Batch> get(String batchId) {
        return known(batchId).map(BatchProgress::snapshot);
    }

    public Optional<Multi<BatchEvent>> watch(String batchId) {
        return known(batchId).map(p -> Multi.createFrom().emitter(emitter -> {
            Runnable stop = p.watch(event -> {
                emitter.emit(event);
                if (BatchStates.terminal(event.getBatch().getState())) {
                    emitter.complete();
                }
            });
            emitter.onTermination(stop);
            if (p.terminal()) {
                emitter.complete();
            }
        }));
    }

    public Optional<Multi<BatchImage>> images(String batchId) {
        return known(batchId).map(p -> Multi.createFrom().emitter(emitter -> {
            Runnable stop = p.follow(new BatchProgress.ImageWatcher(emitter::emit, emitter::complete));
            emitter.onTermination(stop);
        }));
    }

    private Optional<BatchProgress> known(String batchId) {
        BatchProgress p = batches.get(batchId);
        return p != null && p.known() ? Optional.of(p) : Optional.empty();
    }

    private BatchProgress progress(String batchId, Instant now) {
        return batches.computeIfAbsent(batchId, id -> new BatchProgress(id, now));
    }

    private void forgetOlderThan(Instant cutoff) {
        batches.values().removeIf(p -> p.terminal() && p.lastEvent().isBefore(cutoff));
    }
}
