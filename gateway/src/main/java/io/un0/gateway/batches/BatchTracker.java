package io.un0.gateway.batches;

import io.smallrye.mutiny.Multi;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.results.ResultImages;
import io.un0.gateway.jobs.JobFactory;
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
    private final ModelCatalogue catalogue;
    private final JobFactory jobs;
    private final Duration retention;

    public BatchTracker(ModelCatalogue catalogue, JobFactory jobs, GatewayConfig config) {
        this.catalogue = catalogue;
        this.jobs = jobs;
        this.retention = config.batchRetention();
    }

    public void submitted(BatchSubmission s, Instant at) {
        if (s.getCancel()) {
            progress(s.getBatchId(), at).cancel(at);
        } else {
            progress(s.getBatchId(), at).submitted(s, at, jobs.deadline(s, at));
        }
        forgetOlderThan(at.minus(retention));
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
