package io.un0.gateway.batches;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.jobs.Fingerprint;
import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.kafka.RecordPlace;
import io.un0.gateway.results.ResultImages;
import io.un0.gateway.results.ResultRecords;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.v1.Batch;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.JobResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    /** Results read from Kafka per step of a fetch: at most this many items' images are in memory per call. */
    private static final int IMAGES_READ_AT_ONCE = 16;

    private final Map<String, BatchProgress> batches = new ConcurrentHashMap<>();
    /** Per partition of the submissions topic, the next offset this instance's reader will read. */
    private final Map<Integer, Long> read = new ConcurrentHashMap<>();
    private final ModelCatalogue catalogue;
    private final JobFactory jobs;
    private final Duration retention;
    private final ResultRecords results;

    public BatchTracker(ModelCatalogue catalogue, JobFactory jobs, GatewayConfig config, ResultRecords results) {
        this.catalogue = catalogue;
        this.results = results;
        this.jobs = jobs;
        this.retention = config.batchRetention();
    }

    /** The first submission of a batch id, and where it was written. */
    public record FirstSubmission(RecordPlace place, ByteString fingerprint) {
    }

    /** @param place where it was written: the first valid submission of a batch id is the batch */
    public void submitted(BatchSubmission s, Instant at, RecordPlace place) {
        if (s.getCancel()) {
            BatchProgress p = batches.get(s.getBatchId());
            // Only the batch's own tenant cancels it.
            if (p != null && p.tenant().equals(JobFactory.tenantOf(s))) {
                p.cancel(at);
            }
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
    public Optional<FirstSubmission> firstSubmission(String batchId, RecordPlace place, Duration wait) throws InterruptedException {
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

    /** @param place where {@code r} is on the results topic, from where its images are read when fetched */
    public void result(JobResult r, RecordPlace place, Instant now) {
        progress(r.getBatchId(), now).result(r, place, now);
    }

    /**
     * Empty for a batch this instance has not seen submitted (unknown, or forgotten after the retention), and for
     * another tenant's: a caller cannot tell that batch from one that does not exist.
     */
    public Optional<Batch> get(String batchId, String tenant) {
        return known(batchId, tenant).map(BatchProgress::snapshot);
    }

    public Optional<Multi<BatchEvent>> watch(String batchId, String tenant) {
        return known(batchId, tenant).map(p -> Multi.createFrom().emitter(emitter -> {
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

    /**
     * The images so far, in item order, then each new one until the batch ends, read from the results topic a few
     * items at a time as the caller takes them: a slow or abandoned fetch holds no images here.
     */
    public Optional<Multi<BatchImage>> images(String batchId, String tenant) {
        return known(batchId, tenant).map(p -> {
            int[] sent = {0};
            return Multi.createBy().repeating()
                    .<ImageChunk>uni(() -> Uni.createFrom().item(() -> nextImages(p, sent)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                    .whilst(chunk -> !chunk.last())
                    .onItem().transformToIterable(ImageChunk::images);
        });
    }

    private record ImageChunk(List<BatchImage> images, boolean last) {
    }

    private ImageChunk nextImages(BatchProgress p, int[] sent) {
        try {
            BatchProgress.Released r = p.releasedFrom(sent[0], Duration.ofSeconds(1));
            List<RecordPlace> places = r.places().subList(0, Math.min(IMAGES_READ_AT_ONCE, r.places().size()));
            List<BatchImage> images = new ArrayList<>();
            for (JobResult result : results.read(places)) {
                ResultImages.of(result, catalogue, 0).forEach(i -> images.add(BatchImage.newBuilder()
                        .setItemIndex(result.getItemIndex()).setImage(i).setAccounting(result.getAccounting()).build()));
            }
            sent[0] += places.size();
            return new ImageChunk(images, r.ended() && places.size() == r.places().size());
        } catch (ResultRecords.UnreadableException e) {
            throw GrpcStatuses.plain(e.gone() ? Code.DATA_LOSS : Code.UNAVAILABLE, "the batch's images cannot be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GrpcStatuses.plain(Code.CANCELLED, "interrupted");
        }
    }

    private Optional<BatchProgress> known(String batchId, String tenant) {
        BatchProgress p = batches.get(batchId);
        return p != null && p.known() && p.tenant().equals(tenant) ? Optional.of(p) : Optional.empty();
    }

    private BatchProgress progress(String batchId, Instant now) {
        return batches.computeIfAbsent(batchId, id -> new BatchProgress(id, now));
    }

    private void forgetOlderThan(Instant cutoff) {
        batches.values().removeIf(p -> p.terminal() && p.lastEvent().isBefore(cutoff));
    }
}
