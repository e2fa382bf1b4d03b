package io.un0.gateway.inference;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.un0.gateway.GatewayLiveness;
import io.un0.gateway.GatewayMetrics;
import io.un0.gateway.GatewayReadiness;
import io.un0.gateway.generate.Generation;
import io.un0.gateway.inference.InferRequests.InferCall;
import io.un0.gateway.inference.InferRequests.Reading;
import io.un0.gateway.inference.ServedModels.ServedModel;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.UnreadableRequests;
import io.un0.proto.inference.ModelInferRequest;
import io.un0.proto.inference.ModelInferResponse;
import io.un0.proto.inference.ModelMetadataRequest;
import io.un0.proto.inference.ModelMetadataResponse;
import io.un0.proto.inference.ModelMetadataResponse.TensorMetadata;
import io.un0.proto.inference.ModelReadyRequest;
import io.un0.proto.inference.ModelReadyResponse;
import io.un0.proto.inference.MutinyGRPCInferenceServiceGrpc;
import io.un0.proto.inference.ServerLiveRequest;
import io.un0.proto.inference.ServerLiveResponse;
import io.un0.proto.inference.ServerMetadataRequest;
import io.un0.proto.inference.ServerMetadataResponse;
import io.un0.proto.inference.ServerReadyRequest;
import io.un0.proto.inference.ServerReadyResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The Open Inference Protocol (KServe v2 / Triton gRPC) beside {@code un0.v1}: a client built for Triton or KServe
 * generates images unchanged. ModelInfer is {@code Generate} under another name: the same validation, quotas,
 * idempotency, routing and accounting ({@link Generation}); only the reading of the request and the shape of the
 * answer are this protocol's ({@link InferRequests}, {@link InferResponses}). Live and ready are the gateway's
 * health checks.
 */
@GrpcService
public class InferenceService extends MutinyGRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    /** What the workers run the served packages on. */
    static final String PLATFORM = "onnxruntime_onnx";
    private static final String METHOD = "ModelInfer";

    private final Generation generation;
    private final ServedModels models;
    private final ModelCatalogue catalogue;
    private final GatewayLiveness liveness;
    private final GatewayReadiness readiness;
    private final GatewayMetrics metrics;
    private final String name;
    private final String version;

    public InferenceService(Generation generation, ServedModels models, ModelCatalogue catalogue,
                            @Liveness GatewayLiveness liveness, @Readiness GatewayReadiness readiness, GatewayMetrics metrics,
                            @ConfigProperty(name = "quarkus.application.name") String name,
                            @ConfigProperty(name = "quarkus.application.version") String version) {
        this.generation = generation;
        this.models = models;
        this.catalogue = catalogue;
        this.liveness = liveness;
        this.readiness = readiness;
        this.metrics = metrics;
        this.name = name;
        this.version = version;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return UnreadableRequests.refusedPrecisely(super.bindService());
    }

    @Override
    public Uni<ServerLiveResponse> serverLive(ServerLiveRequest request) {
        return Uni.createFrom().item(() -> ServerLiveResponse.newBuilder().setLive(up(liveness.call())).build());
    }

    @Override
    public Uni<ServerReadyResponse> serverReady(ServerReadyRequest request) {
        return Uni.createFrom().item(() -> ServerReadyResponse.newBuilder().setReady(up(readiness.call())).build());
    }

    @Override
    public Uni<ModelReadyResponse> modelReady(ModelReadyRequest request) {
        return Uni.createFrom().item(() -> {
            served(request.getName(), request.getVersion());
            return ModelReadyResponse.newBuilder().setReady(up(readiness.call())).build();
        });
    }

    @Override
    public Uni<ServerMetadataResponse> serverMetadata(ServerMetadataRequest request) {
        return Uni.createFrom().item(ServerMetadataResponse.newBuilder().setName(name).setVersion(version).build());
    }

    @Override
    public Uni<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request) {
        return Uni.createFrom().item(() -> metadata(served(request.getName(), request.getVersion())));
    }

    @Override
    @Blocking
    public Uni<ModelInferResponse> modelInfer(ModelInferRequest request) {
        Instant now = Instant.now();
        ServedModel model;
        try {
            model = served(request.getModelName(), request.getModelVersion());
        } catch (RuntimeException unknown) {
            return metrics.observe(METHOD, now, Uni.createFrom().failure(unknown));
        }
        Deadline callDeadline = Context.current().getDeadline();
        Reading reading = InferRequests.read(request, model, now,
                Optional.ofNullable(callDeadline).map(d -> now.plusNanos(d.timeRemaining(TimeUnit.NANOSECONDS))));
        if (reading.call().isEmpty()) {
            return metrics.observe(METHOD, now, Uni.createFrom().failure(GrpcStatuses.invalid(reading.violations())));
        }
        InferCall call = reading.call().get();
        return generation.generate(METHOD, call.request(), call.fieldNames()).map(answer -> InferResponses.of(call, answer));
    }

    /** @throws io.grpc.StatusRuntimeException NOT_FOUND naming the models served, where that one is not */
    private ServedModel served(String model, String modelVersion) {
        return models.find(model, modelVersion).orElseThrow(() -> Status.NOT_FOUND.withDescription("model '" + model + "'"
                + (modelVersion.isEmpty() ? "" : " version '" + modelVersion + "'") + " is not served here; models: "
                + models.models().stream().map(m -> m.name() + " (version " + m.version() + ")").toList()).asRuntimeException());
    }

    private ModelMetadataResponse metadata(ServedModel model) {
        int size = catalogue.imageSize();
        return ModelMetadataResponse.newBuilder().setName(model.name()).addVersions(model.version()).setPlatform(PLATFORM)
                .addInputs(tensor("class", "INT64", 1)).addInputs(tensor("count", "UINT32", 1))
                .addInputs(tensor("seed", "UINT64", 1)).addInputs(tensor("steps", "UINT32", 1))
                .addOutputs(tensor("images", "BYTES", -1)).addOutputs(tensor("seeds", "UINT64", -1))
                .addOutputs(tensor("pixels", "UINT8", -1, size, size)).build();
    }

    private static TensorMetadata tensor(String name, String datatype, long... shape) {
        TensorMetadata.Builder t = TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
        for (long d : shape) {
            t.addShape(d);
        }
        return t.build();
    }

    private static boolean up(HealthCheckResponse health) {
        return health.getStatus() == HealthCheckResponse.Status.UP;
    }
}
