package io.un0.gateway;

import com.google.protobuf.Timestamp;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.gateway.validation.RequestValidator;
import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.SubmitBatchRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input is named by its field. */
class RequestValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final RequestValidator validator = new RequestValidator(
            new ModelCatalogue(List.of("t-shirt", "trouser", "sneaker"), List.of(1, 2, 4, 8), 64, 28), 16, 100);

    @Test
    void aPlainRequestPasses() {
        assertEquals(List.of(), validator.check(GenerateRequest.newBuilder().setClassName("sneaker").setCount(4).build(), NOW));
        assertEquals(List.of(), validator.check(GenerateRequest.newBuilder().setClassId(0).build(), NOW), "count 0 means one image");
    }

    @Test
    void namesEachBadField() {
        assertEquals(List.of("image_class"), fields(validator.check(GenerateRequest.newBuilder().build(), NOW)));
        assertEquals(List.of("class_name"), fields(validator.check(GenerateRequest.newBuilder().setClassName("hat").build(), NOW)));
        assertEquals(List.of("class_id"), fields(validator.check(GenerateRequest.newBuilder().setClassId(3).build(), NOW)));
        assertEquals(List.of("count"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1).setCount(17).build(), NOW)));
        assertEquals(List.of("quality.steps"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setQuality(Quality.newBuilder().setSteps(3)).build(), NOW)));
        assertEquals(List.of(new Violation("quality.min_steps", "4 is more than quality.steps 2")), validator.check(GenerateRequest.newBuilder()
                .setClassId(1).setQuality(Quality.newBuilder().setSteps(2).setMinSteps(4)).build(), NOW), "a floor above the steps asked for");
        assertEquals(List.of(), validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setQuality(Quality.newBuilder().setSteps(8).setMinSteps(2)).build(), NOW), "a floor the scheduler may trade down to");
        assertEquals(List.of("quality.min_steps"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setQuality(Quality.newBuilder().setMinSteps(3)).build(), NOW)));
        assertEquals(List.of("quality.allowed_precisions[1]"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setQuality(Quality.newBuilder().addAllowedPrecisions(Precision.PRECISION_INT8).addAllowedPrecisions(Precision.PRECISION_UNSPECIFIED))
                .build(), NOW)));
        assertEquals(List.of("deadline"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setDeadline(at(NOW.minusSeconds(1))).build(), NOW)));
        assertEquals(List.of("priority"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setPriority(Priority.PRIORITY_DEFERRABLE).build(), NOW)));
        assertEquals(List.of("allowed_regions[0]"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .addAllowedRegions(" ").build(), NOW)));
        assertEquals(List.of("idempotency_key"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setIdempotencyKey("k".repeat(129)).build(), NOW)));
    }

    /**
     * uint32 fields reach Java as ints, so 2^31 and above are negative there; enums carry any int. Every numeric field
     * at its extremes and every enum at unknown values is refused, naming the field, never passed on.
     */
    @Test
    void numbersAtTheirExtremesAndUnknownEnumValuesAreRefused() {
        for (int huge : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, (int) 3_000_000_000L}) {
            String unsigned = Integer.toUnsignedString(huge);
            assertEquals(List.of(new Violation("class_id", unsigned + " is outside 0..2")),
                    validator.check(GenerateRequest.newBuilder().setClassId(huge).build(), NOW));
            assertEquals(List.of(new Violation("count", unsigned + " is more than 16 images")),
                    validator.check(GenerateRequest.newBuilder().setClassId(1).setCount(huge).build(), NOW));
            assertEquals(List.of("quality.steps"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                    .setQuality(Quality.newBuilder().setSteps(huge)).build(), NOW)));
            assertEquals(List.of("quality.min_steps"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                    .setQuality(Quality.newBuilder().setMinSteps(huge)).build(), NOW)));
            assertEquals(List.of("items[0].class_id", "items[0].count"), fields(validator.check(SubmitBatchRequest.newBuilder()
                    .addItems(BatchItem.newBuilder().setClassId(huge).setCount(huge)).build(), NOW)));
        }
        for (int unknown : new int[] {-1, 4, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(List.of("quality.tier"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                    .setQuality(Quality.newBuilder().setTierValue(unknown)).build(), NOW)));
            assertEquals(List.of("priority"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                    .setPriorityValue(unknown).build(), NOW)));
            assertEquals(List.of("quality.allowed_precisions[0]"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                    .setQuality(Quality.newBuilder().addAllowedPrecisionsValue(unknown)).build(), NOW)));
        }
        for (long seconds : new long[] {1L << 62, -(1L << 62), Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(List.of("deadline"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                    .setDeadline(Timestamp.newBuilder().setSeconds(seconds)).build(), NOW)));
            assertEquals(List.of("deadline"), fields(validator.check(SubmitBatchRequest.newBuilder().addItems(BatchItem.newBuilder().setClassId(1))
                    .setDeadline(Timestamp.newBuilder().setSeconds(seconds)).build(), NOW)));
        }
        assertEquals(List.of("deadline"), fields(validator.check(GenerateRequest.newBuilder().setClassId(1)
                .setDeadline(at(NOW.plusSeconds(60)).toBuilder().setNanos(-1)).build(), NOW)));
    }

    @Test
    void batchesNameTheItem() {
        SubmitBatchRequest r = SubmitBatchRequest.newBuilder()
                .addItems(BatchItem.newBuilder().setClassName("sneaker").setCount(2))
                .addItems(BatchItem.newBuilder().setClassName("hat"))
                .addItems(BatchItem.newBuilder().setClassId(1).setCount(99))
                .setDeferrable(true).build();
        List<Violation> v = validator.check(r, NOW);
        assertEquals(List.of("items[1].class_name", "items[2].count", "deadline"), fields(v));
        assertTrue(v.get(2).description().contains("deferrable"), v.get(2).description());
        assertEquals(List.of("items"), fields(validator.check(SubmitBatchRequest.getDefaultInstance(), NOW)));
    }

    @Test
    void kafkaSubmissionsNeedTheirOwnBatchId() {
        BatchSubmission.Builder s = BatchSubmission.newBuilder().addItems(BatchItem.newBuilder().setClassId(2));
        assertEquals(List.of("batch_id"), fields(validator.check(s.build(), NOW)));
        assertEquals(List.of("batch_id"), fields(validator.check(s.setBatchId("has space").build(), NOW)));
        assertEquals(List.of(), validator.check(s.setBatchId("nightly-2026-11-26").build(), NOW));
        assertEquals(List.of(), validator.check(BatchSubmission.newBuilder().setBatchId("b").setCancel(true).build(), NOW));
        assertEquals(List.of("deadline"), fields(validator.check(s.setDeadline(at(NOW.plus(Duration.ofDays(8)))).build(), NOW)));
    }

    private static List<String> fields(List<Violation> v) {
        return v.stream().map(Violation::field).toList();
    }

    private static Timestamp at(Instant i) {
        return ProtoTime.timestamp(i);
    }
}
