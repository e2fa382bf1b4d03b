package io.un0.deploy.mesh;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/** Sends a bearer token with every call, as the mesh's services expect it: {@code authorization: Bearer <JWT>}. */
public final class BearerToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String token;

    public BearerToken(String token) {
        this.token = token;
    }

    /** A token file as {@link LocalCredentials} writes it: the compact JWT, one line. */
    public static BearerToken read(Path file) throws IOException {
        return new BearerToken(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
    }
}
