package io.un0.gateway.generate;

import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.un0.proto.UnreadableRequests;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GenerateStreamResponse;
import io.un0.proto.v1.MutinyGeneratorGrpc;
import java.util.function.UnaryOperator;

/**
 * The interactive API over {@code un0.v1}, a thin transport over {@link Generation}: {@code Generate} gets one answer;
 * {@code GenerateStream} each image as soon as it is ready.
 */
@GrpcService
public class GeneratorService extends MutinyGeneratorGrpc.GeneratorImplBase {

    private final Generation generation;

    public GeneratorService(Generation generation) {
        this.generation = generation;
    }

    /** Bytes that are not a request are refused naming the message type, not answered UNKNOWN by grpc-java. */
    @Override
    public ServerServiceDefinition bindService() {
        return UnreadableRequests.refusedPrecisely(super.bindService());
    }

    @Override
    @Blocking
    public Uni<GenerateResponse> generate(GenerateRequest request) {
        return generation.generate("Generate", request, UnaryOperator.identity());
    }

    /** One job per image, so that each image is sent as soon as it is ready. */
    @Override
    @Blocking
    public Multi<GenerateStreamResponse> generateStream(GenerateRequest request) {
        return generation.stream(request);
    }
}
