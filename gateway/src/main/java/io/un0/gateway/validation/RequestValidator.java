package io.un0.gateway.validation;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.QualityTier;
import io.un0.proto.v1.SubmitBatchRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks requests before anything reaches Kafka, naming each field that is wrong (as the proto spells it, with
 * list indexes: {@code items[3].class_name}). Pure: the same checks serve gRPC calls and Kafka batch submissions.
 */
public final class RequestValidator {

    private static final int MAX_KEY_LENGTH = 128;
    private static final int MAX_REGIONS = 32;

    private final ModelCatalogue catalogue;
    private final int maxImagesPerRequest;
    private final int maxBatchItems;

    public RequestValidator(ModelCatalogue catalogue, int maxImagesPerRequest, int maxBatchItems) {
        this.catalogue = catalogue;
        this.maxImagesPerRequest = Math.min(maxImagesPerRequest, catalogue.maxBatch());
        this.maxBatchItems = maxBatchItems;
    }

    public int maxImagesPerRequest() {
        return maxImagesPerRequest;
    }

    /** The class a request names, by id; call only on a request without violations. */
    public int classId(String className, int classId, boolean byName) {
        return byName ? catalogue.classId(className).orElseThrow() : classId;
    }

    public List<Violation> check(GenerateRequest r, Instant now) {
        List<Violation> v = new ArrayList<>();
        checkClass("", r.getImageClassCase() == GenerateRequest.ImageClassCase.CLASS_NAME, r.getClassName(),
                r.getImageClassCase() == GenerateRequest.ImageClassCase.CLASS_ID, r.getClassId(), v);
        checkCount("count", r.getCount(), v);
        checkQuality(r.getQuality(), v);
        if (r.hasDeadline()) {
            checkDeadline(r.getDeadline(), now, v);
        }
        if (r.getPriority() == Priority.PRIORITY_DEFERRABLE || r.getPriority() == Priority.PRIORITY_BATCH) {
            v.add(new Violation("priority", r.getPriority() + " work goes through Batches.SubmitBatch; Generate is interactive"));
        } else if (r.getPriority() == Priority.UNRECOGNIZED) {
            v.add(new Violation("priority", "unknown value " + r.getPriorityValue()));
        }
        checkRegions("allowed_regions", r.getAllowedRegionsList(), v);
        checkKey(r.getIdempotencyKey(), v);
        return v;
    }

    public List<Violation> check(SubmitBatchRequest r, Instant now) {
        List<Violation> v = new ArrayList<>();
        checkItems(r.getItemsList(), v);
        checkQuality(r.getQuality(), v);
        checkBatchDeadline(r.hasDeadline(), r.getDeadline(), r.getDeferrable(), now, v);
        checkRegions("allowed_regions", r.getAllowedRegionsList(), v);
        checkKey(r.getIdempotencyKey(), v);
        return v;
    }

    /** A submission from any Kafka producer: the same rules as SubmitBatch, plus a batch id it must bring itself. */
    public List<Violation> check(BatchSubmission s, Instant now) {
        List<Violation> v = new ArrayList<>();
        if (s.getBatchId().isBlank()) {
            v.add(new Violation("batch_id", "required"));
        } else if (s.getBatchId().length() > MAX_KEY_LENGTH || !s.getBatchId().matches("[A-Za-z0-9._:/-]+")) {
            v.add(new Violation("batch_id", "must be 1.." + MAX_KEY_LENGTH + " characters of A-Z a-z 0-9 . _ : / -"));
        }
        if (s.getCancel()) {
            if (s.getItemsCount() > 0) {
                v.add(new Violation("items", "must be empty in a cancellation"));
            }
            return v;
        }
        checkItems(s.getItemsList(), v);
        checkQuality(s.getQuality(), v);
        checkBatchDeadline(s.hasDeadline(), s.getDeadline(), s.getDeferrable(), now, v);
        checkRegions("allowed_regions", s.getAllowedRegionsList(), v);
        return v;
    }

    private void checkItems(List<BatchItem> items, List<Violation> v) {
        if (items.isEmpty()) {
            v.add(new Violation("items", "at least one item is needed"));
        } else if (items.size() > maxBatchItems) {
            v.add(new Violation("items", items.size() + " items; at most " + maxBatchItems + " per batch"));
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            BatchItem item = items.get(i);
            String at = "items[" + i + "].";
            checkClass(at, item.getImageClassCase() == BatchItem.ImageClassCase.CLASS_NAME, item.getClassName(),
                    item.getImageClassCase() == BatchItem.ImageClassCase.CLASS_ID, item.getClassId(), v);
            checkCount(at + "count", item.getCount(), v);
        }
    }

    private void checkClass(String at, boolean byName, String name, boolean byId, int id, List<Violation> v) {
        if (byName) {
            if (catalogue.classId(name).isEmpty()) {
                v.add(new Violation(at + "class_name", "'" + name + "' is not one of " + catalogue.classNames()));
            }
        } else if (byId) {
            if (Integer.toUnsignedLong(id) >= catalogue.classNames().size()) {
                v.add(new Violation(at + "class_id", Integer.toUnsignedString(id) + " is outside 0.." + (catalogue.classNames().size() - 1)));
            }
        } else {
            v.add(new Violation(at + "image_class", "set class_name or class_id"));
        }
    }

    /** 0 means the default of one image. */
    private void checkCount(String field, int count, List<Violation> v) {
        if (Integer.toUnsignedLong(count) > maxImagesPerRequest) {
            v.add(new Violation(field, Integer.toUnsignedString(count) + " is more than " + maxImagesPerRequest + " images"));
        }
    }

    private void checkQuality(Quality q, List<Violation> v) {
        if (q.getChoiceCase() == Quality.ChoiceCase.STEPS && !catalogue.supportedSteps().contains(q.getSteps())) {
            v.add(new Violation("quality.steps", Integer.toUnsignedString(q.getSteps()) + " is not one of " + catalogue.supportedSteps()));
        }
        if (q.getChoiceCase() == Quality.ChoiceCase.TIER && QualityTier.forNumber(q.getTierValue()) == null) {
            v.add(new Violation("quality.tier", "unknown value " + q.getTierValue()));
        }
        int most = catalogue.supportedSteps().get(catalogue.supportedSteps().size() - 1);
        if (Integer.toUnsignedLong(q.getMinSteps()) > most) {
            v.add(new Violation("quality.min_steps", Integer.toUnsignedString(q.getMinSteps()) + " is more than the model's most, " + most));
        } else if (q.getMinSteps() != 0 && !catalogue.supportedSteps().contains(q.getMinSteps())) {
            v.add(new Violation("quality.min_steps", q.getMinSteps() + " is not one of " + catalogue.supportedSteps()));
        } else if (q.getChoiceCase() == Quality.ChoiceCase.STEPS && Integer.compareUnsigned(q.getMinSteps(), q.getSteps()) > 0) {
            v.add(new Violation("quality.min_steps", q.getMinSteps() + " is more than quality.steps " + q.getSteps()));
        }
        for (int i = 0; i < q.getAllowedPrecisionsCount(); i++) {
            Precision p = q.getAllowedPrecisions(i);
            if (p == Precision.PRECISION_UNSPECIFIED || p == Precision.UNRECOGNIZED) {
                v.add(new Violation("quality.allowed_precisions[" + i + "]", "must be PRECISION_FP32 or PRECISION_INT8"));
            }
        }
    }

    private static void checkDeadline(Timestamp deadline, Instant now, List<Violation> v) {
        if (!Timestamps.isValid(deadline)) {
            v.add(new Violation("deadline", "not a valid timestamp (seconds " + deadline.getSeconds() + ", nanos " + deadline.getNanos()
                    + "): seconds must be within 0001-01-01..9999-12-31 and nanos within 0..999999999"));
            return;
        }
        Instant at = ProtoTime.instant(deadline);
        if (!at.isAfter(now)) {
            v.add(new Violation("deadline", "is in the past (" + at + ")"));
        } else if (at.isAfter(now.plus(java.time.Duration.ofDays(7)))) {
            v.add(new Violation("deadline", "is more than 7 days ahead (" + at + "); jobs are kept for at most 7 days"));
        }
    }

    private static void checkBatchDeadline(boolean has, Timestamp deadline, boolean deferrable, Instant now, List<Violation> v) {
        if (has) {
            checkDeadline(deadline, now, v);
        } else if (deferrable) {
            v.add(new Violation("deadline", "required when deferrable: it bounds how long the batch may wait"));
        }
    }

    private static void checkRegions(String field, List<String> regions, List<Violation> v) {
        if (regions.size() > MAX_REGIONS) {
            v.add(new Violation(field, regions.size() + " regions; at most " + MAX_REGIONS));
        }
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).isBlank()) {
                v.add(new Violation(field + "[" + i + "]", "is blank"));
            }
        }
    }

    private static void checkKey(String key, List<Violation> v) {
        if (key.length() > MAX_KEY_LENGTH) {
            v.add(new Violation("idempotency_key", key.length() + " characters; at most " + MAX_KEY_LENGTH));
        }
    }
}
