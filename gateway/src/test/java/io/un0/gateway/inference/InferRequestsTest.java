package io.un0.gateway.inference;

import com.google.protobuf.ByteString;
import io.un0.gateway.inference.InferRequests.InferCall;
import io.un0.gateway.inference.InferRequests.Output;
import io.un0.gateway.inference.InferRequests.Reading;
import io.un0.gateway.inference.ServedModels.ServedModel;
import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.inference.InferParameter;
import io.un0.proto.inference.InferTensorContents;
import io.un0.proto.inference.ModelInferRequest;
import io.un0.proto.inference.ModelInferRequest.InferInputTensor;
import io.un0.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.QualityTier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final ServedModel ANY = new ServedModel("un0-fmnist", "1.0.0", Optional.empty());
    private static final ServedModel INT8 = new ServedModel("un0-fmnist-int8", "1.0.0", Optional.of(io.un0.vocabulary.Precision.INT8));

    @Test
    void rawInputsOfEveryIntegerWidthAndAClassNameAsBytes() {
        ModelInferRequest r = ModelInferRequest.newBuilder().setModelName("un0-fmnist-int8").setId("x")
                .addInputs(input("class", "BYTES")).addInputs(input("count", "UINT8")).addInputs(input("seed", "UINT64")).addInputs(input("steps", "INT16"))
                .addRawInputContents(text(5, "shirt"))
                .addRawInputContents(ByteString.copyFrom(new byte[]{(byte) 200}))
                .addRawInputContents(integer(8, Long.MAX_VALUE))
                .addRawInputContents(integer(2, 4)).build();
        InferCall call = call(InferRequests.read(r, INT8, NOW, Optional.empty()));
        GenerateRequest g = call.request();
        assertEquals("shirt", g.getClassName());
        assertEquals(200, g.getCount());
        assertEquals(Long.MAX_VALUE, g.getSeed());
        assertEquals(4, g.getQuality().getSteps());
        assertEquals(List.of(Precision.PRECISION_INT8), g.getQuality().getAllowedPrecisionsList());
        assertEquals("x", call.id());
        assertEquals(Set.of(Output.IMAGES, Output.SEEDS), call.outputs());
        assertFalse(g.hasDeadline(), "no deadline asked: the gateway's default");
    }

    @Test
    void typedContentsAndParametersMeanTheSame() {
        ModelInferRequest r = ModelInferRequest.newBuilder().setModelName("un0-fmnist")
                .addInputs(input("class", "INT32").setContents(InferTensorContents.newBuilder().addIntContents(7)))
                .putParameters("count", int64(3)).putParameters("quality", text("Best")).putParameters("min_steps", int64(2))
                .putParameters("allowed_regions", text("ES, FR")).putParameters("idempotency_key", text("k-1"))
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("pixels")).build();
        InferCall call = call(InferRequests.read(r, ANY, NOW, Optional.empty()));
        GenerateRequest g = call.request();
        assertEquals(7, g.getClassId());
        assertEquals(3, g.getCount());
        assertEquals(QualityTier.QUALITY_TIER_BEST, g.getQuality().getTier());
        assertEquals(2, g.getQuality().getMinSteps());
        assertEquals(List.of("ES", "FR"), g.getAllowedRegionsList());
        assertEquals("k-1", g.getIdempotencyKey());
        assertTrue(g.getQuality().getAllowedPrecisionsList().isEmpty(), "the model by its own name: any precision");
        assertEquals(Set.of(Output.PIXELS), call.outputs());
    }

    @Test
    void theEarlierOfTheCallsDeadlineAndTheTimeoutParameterBoundsTheWork() {
        ModelInferRequest.Builder r = ModelInferRequest.newBuilder().putParameters("class", int64(1));
        Optional<Instant> callDeadline = Optional.of(NOW.plusSeconds(30));
        assertEquals(NOW.plusSeconds(30), ProtoTime.instant(call(InferRequests.read(r.build(), ANY, NOW, callDeadline)).request().getDeadline()));
        r.putParameters("timeout", int64(Duration.ofSeconds(5).toNanos() / 1000));
        InferCall call = call(InferRequests.read(r.build(), ANY, NOW, callDeadline));
        assertEquals(NOW.plusSeconds(5), ProtoTime.instant(call.request().getDeadline()));
        assertEquals("parameters[timeout]", call.fieldNames().apply("deadline"));
    }

    @Test
    void theGeneratorsFieldsAreNamedAsTheCallerSentThem() {
        ModelInferRequest r = ModelInferRequest.newBuilder().addInputs(input("class", "INT64").setContents(InferTensorContents.newBuilder().addInt64Contents(3)))
                .addInputs(input("steps", "UINT32").setContents(InferTensorContents.newBuilder().addUintContents(3)))
                .putParameters("allowed_regions", text("ES,")).build();
        InferCall call = call(InferRequests.read(r, INT8, NOW, Optional.empty()));
        assertEquals("inputs[class]", call.fieldNames().apply("class_id"));
        assertEquals("inputs[steps]", call.fieldNames().apply("quality.steps"));
        assertEquals("model_name", call.fieldNames().apply("quality.allowed_precisions[0]"));
        assertEquals("parameters[allowed_regions]", call.fieldNames().apply("allowed_regions[1]"));
        assertEquals("grpc-timeout", call.fieldNames().apply("deadline"));
    }

    @Test
    void whatCannotBeReadIsNamed() {
        ModelInferRequest r = ModelInferRequest.newBuilder()
                .addInputs(input("class", "FP32").setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                .addInputs(input("count", "INT32").clearShape().addShape(2).setContents(InferTensorContents.newBuilder().addIntContents(1).addIntContents(2)))
                .addInputs(input("seed", "INT64").setContents(InferTensorContents.newBuilder().addInt64Contents(-1)))
                .addInputs(input("prompt", "BYTES"))
                .putParameters("class", int64(2)).putParameters("priority", int64(1)).putParameters("quality", text("ultra"))
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("images"))
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("images"))
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("logits").putParameters("classification", int64(1))).build();
        assertEquals(List.of("inputs[class].datatype", "inputs[count].shape", "inputs[seed]", "inputs[3].name",
                        "parameters[class]", "parameters[priority]", "parameters[quality]",
                        "outputs[1].name", "outputs[2].name", "outputs[2].parameters[classification]"),
                fields(InferRequests.read(r, ANY, NOW, Optional.empty())));
    }

    @Test
    void rawContentsComeOnePerInputOrNotAtAll() {
        ModelInferRequest.Builder r = ModelInferRequest.newBuilder().addInputs(input("class", "INT32")).addInputs(input("count", "INT32"))
                .addRawInputContents(integer(4, 1));
        assertEquals(List.of("raw_input_contents"), fields(InferRequests.read(r.build(), ANY, NOW, Optional.empty())));
        r.addRawInputContents(ByteString.copyFrom(new byte[3]));
        assertEquals(List.of("inputs[count]"), fields(InferRequests.read(r.build(), ANY, NOW, Optional.empty())));
        r.setRawInputContents(1, integer(4, 2)).setInputs(1, input("count", "INT32")
                .setContents(InferTensorContents.newBuilder().addIntContents(2)));
        assertEquals(List.of("inputs[count].contents"), fields(InferRequests.read(r.build(), ANY, NOW, Optional.empty())));
        ModelInferRequest bytes = ModelInferRequest.newBuilder().addInputs(input("class", "BYTES"))
                .addRawInputContents(text(50, "coat")).build();
        Reading truncated = InferRequests.read(bytes, ANY, NOW, Optional.empty());
        assertEquals(List.of("inputs[class]"), fields(truncated));
        assertTrue(truncated.violations().get(0).description().contains("says 50 bytes"), truncated.violations().toString());
    }

    @Test
    void aClassIsRequired() {
        assertEquals(List.of("inputs"), fields(InferRequests.read(ModelInferRequest.getDefaultInstance(), ANY, NOW, Optional.empty())));
    }

    private static InferCall call(Reading reading) {
        assertEquals(List.of(), reading.violations());
        return reading.call().orElseThrow();
    }

    private static List<String> fields(Reading reading) {
        assertTrue(reading.call().isEmpty());
        return reading.violations().stream().map(Violation::field).toList();
    }

    private static InferInputTensor.Builder input(String name, String datatype) {
        return InferInputTensor.newBuilder().setName(name).setDatatype(datatype).addShape(1);
    }

    /** One integer of {@code width} bytes, little-endian, as raw contents. */
    private static ByteString integer(int width, long value) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 2 -> b.putShort((short) value);
            case 4 -> b.putInt((int) value);
            default -> b.putLong(value);
        }
        return ByteString.copyFrom(b.array());
    }

    /** One BYTES element as raw contents, its length said as {@code declared}. */
    private static ByteString text(int declared, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return ByteString.copyFrom(ByteBuffer.allocate(4 + bytes.length).order(ByteOrder.LITTLE_ENDIAN).putInt(declared).put(bytes).array());
    }

    private static InferParameter int64(long v) {
        return InferParameter.newBuilder().setInt64Param(v).build();
    }

    private static InferParameter text(String v) {
        return InferParameter.newBuilder().setStringParam(v).build();
    }
}
