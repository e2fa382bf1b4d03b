package io.un0.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.un0.broker.LocalKafkaResource;
import io.un0.proto.inference.GRPCInferenceServiceGrpc;
import io.un0.proto.inference.InferParameter;
import io.un0.proto.inference.InferTensorContents;
import io.un0.proto.inference.ModelInferRequest;
import io.un0.proto.inference.ModelInferRequest.InferInputTensor;
import io.un0.proto.inference.ModelInferResponse;
import io.un0.proto.inference.ModelMetadataRequest;
import io.un0.proto.inference.ModelMetadataResponse;
import io.un0.proto.inference.ModelReadyRequest;
import io.un0.proto.inference.ServerLiveRequest;
import io.un0.proto.inference.ServerReadyRequest;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Precision;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Open Inference Protocol on the gateway, on a real broker with {@link MeshStandIn} playing the rest of the mesh:
 * our own stub, then a client no one here wrote (grpc-js, installed by scripts/setup.sh).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceIT extends GatewayOnStandInMesh {

    private static final Path NODE_CLIENT = Path.of("src/test/node");
    private static final Path PROTOCOL = Path.of("../proto/src/main/proto/inference/grpc_predict_v2.proto");

    @Test
    void liveReadyAndTheModelsServed() {
        assertTrue(inference().serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(inference().serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertTrue(inference().modelReady(ModelReadyRequest.newBuilder().setName("un0-fmnist-int8").setVersion("1.0.0").build()).getReady());
        ModelMetadataResponse metadata = inference().modelMetadata(ModelMetadataRequest.newBuilder().setName("un0-fmnist").build());
        assertEquals(List.of("class", "count", "seed", "steps"), metadata.getInputsList().stream().map(ModelMetadataResponse.TensorMetadata::getName).toList());
        assertEquals(List.of(-1L, 28L, 28L), metadata.getOutputsList().stream().filter(t -> t.getName().equals("pixels")).findFirst().orElseThrow().getShapeList());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> inference().modelReady(ModelReadyRequest.newBuilder().setName("un0-fmnist-int8").setVersion("9").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    }

    @Test
    void modelInferGoesThroughTheMeshAndAnswersInTritonsEncoding() throws Exception {
        ModelInferResponse response = inference().modelInfer(ModelInferRequest.newBuilder().setModelName("un0-fmnist-int8").setId("r-1")
                .addInputs(InferInputTensor.newBuilder().setName("class").setDatatype("BYTES").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("coat"))))
                .putParameters("count", InferParameter.newBuilder().setInt64Param(2).build())
                .putParameters("seed", InferParameter.newBuilder().setUint64Param(500).build())
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("images"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("pixels")).build());
        assertEquals("r-1", response.getId());
        assertEquals("un0-fmnist-int8", response.getModelName());
        assertEquals(List.of("images", "pixels"), response.getOutputsList().stream().map(ModelInferResponse.InferOutputTensor::getName).toList());
        ByteBuffer images = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 2; k++) {
            byte[] png = new byte[images.getInt()];
            images.get(png);
            assertEquals(28, ImageIO.read(new ByteArrayInputStream(png)).getHeight());
        }
        assertEquals(0, images.remaining());
        assertEquals(2 * 28 * 28, response.getRawOutputContents(1).size());
        assertEquals("stand-in", response.getParametersOrThrow("pool").getStringParam());
        assertEquals("modelled", response.getParametersOrThrow("energy_source").getStringParam());
        assertEquals(0.02, response.getParametersOrThrow("energy_joules").getDoubleParam(), 1e-9);
        // The model's name pinned the precision the scheduler may use.
        Job job = Job.parseFrom(mesh.jobsSeen.stream().filter(r -> r.key().equals(response.getParametersOrThrow("job_id").getStringParam()))
                .findFirst().orElseThrow().value());
        assertEquals(List.of(Precision.PRECISION_INT8), job.getQuality().getAllowedPrecisionsList());
        assertEquals(500, job.getSeed());
        assertEquals(4, job.getClassId());
    }

    @Test
    void badInferRequestsAreRefusedNamingWhatTheCallerSent() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> inference().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("un0-fmnist")
                .addInputs(InferInputTensor.newBuilder().setName("class").setDatatype("INT32").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addIntContents(42)))
                .putParameters("count", InferParameter.newBuilder().setInt64Param(1000).build()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("inputs[class]", "parameters[count]"), GatewayIT.detail(e, BadRequest.class).getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> inference().modelInfer(ModelInferRequest.newBuilder().setModelName("resnet50").build())).getStatus().getCode());
    }

    @Test
    void aClientNoOneHereWroteGeneratesImages() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(NODE_CLIENT.resolve("node_modules/@grpc/grpc-js")),
                "skipped: the Node.js client's packages are not installed (scripts/setup.sh runs npm ci in gateway/src/test/node)");
        Process node = new ProcessBuilder("node", "oip-client.mjs", "localhost:" + grpcPort, PROTOCOL.toAbsolutePath().toString())
                .directory(NODE_CLIENT.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(90, TimeUnit.SECONDS), "client done");
        assertEquals(0, node.exitValue(), out);
        JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(seen.get("live").asBoolean() && seen.get("ready").asBoolean(), out);
        assertEquals("onnxruntime_onnx", seen.at("/metadata/platform").asText());
        JsonNode raw = seen.get("raw");
        assertEquals("raw-1", raw.get("id").asText());
        assertEquals(2, raw.at("/outputs/images/count").asInt());
        assertTrue(raw.at("/outputs/images/allPng").asBoolean(), out);
        assertEquals(List.of("42", "43"), List.of(raw.at("/outputs/seeds/values/0").asText(), raw.at("/outputs/seeds/values/1").asText()));
        assertEquals(2 * 28 * 28, raw.at("/outputs/pixels/bytes").asInt());
        assertEquals("stand-in", raw.at("/parameters/pool").asText());
        JsonNode typed = seen.get("typed");
        assertEquals(3, typed.at("/outputs/images/count").asInt());
        assertTrue(typed.at("/outputs/pixels").isMissingNode(), "pixels only when asked for");
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), seen.at("/refused/code").asInt());
        assertTrue(seen.at("/refused/details").asText().contains("inputs[class].datatype"), out);
        assertEquals(Status.Code.NOT_FOUND.value(), seen.at("/unknownModel/code").asInt());
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
