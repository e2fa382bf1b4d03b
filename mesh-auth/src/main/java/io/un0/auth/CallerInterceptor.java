package io.un0.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Identifies the caller of every gRPC call before the service sees it, and refuses what the {@link AccessPolicy}
 * does not allow: {@code UNAUTHENTICATED} without a valid credential, {@code PERMISSION_DENIED} without the role.
 * A bearer token ({@code authorization: Bearer <JWT>}) wins over a client certificate when a call has both.
 */
public abstract class CallerInterceptor implements ServerInterceptor, Prioritized {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AccessPolicy policy;
    private final BearerTokens bearer;

    /** A service's interceptor is this with its own {@code policy}, a bean marked as gRPC's global interceptor. */
    protected CallerInterceptor(AuthConfig config, AccessPolicy policy) {
        this.policy = policy;
        this.bearer = new BearerTokens(config);
    }

    /** First of a service's interceptors: nothing runs for a caller who may not call. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<AccessPolicy.Access> access = policy.access(method);
        if (access.isPresent() && access.get().open()) {
            return next.startCall(call, headers);
        }
        Caller caller;
        try {
            caller = identify(call, headers);
        } catch (CredentialException e) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(e.getMessage()));
        }
        if (access.isEmpty() || !access.get().allows(caller)) {
            String needs = access.map(a -> "needs the role " + a.roles().stream().map(Role::credentialName).sorted()
                    .collect(Collectors.joining(" or "))).orElse("is open to no one");
            return refuse(call, Status.PERMISSION_DENIED.withDescription(method + " " + needs + "; the caller is " + caller));
        }
        return Contexts.interceptCall(Context.current().withValue(Callers.KEY, caller), call, headers, next);
    }

    private Caller identify(ServerCall<?, ?> call, Metadata headers) throws CredentialException {
        if (!bearer.authenticating()) {
            return Caller.UNAUTHENTICATED;
        }
        String authorization = headers.get(AUTHORIZATION);
        if (authorization != null) {
            return bearer.caller(authorization);
        }
        SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (tls != null) {
            try {
                return CertificateIdentity.of(tls.getPeerCertificates());
            } catch (SSLPeerUnverifiedException noCertificate) {
                // TLS without a client certificate: the call needs a token.
            }
        }
        throw new CredentialException("no credential: send \"authorization: Bearer <token>\" or a client certificate over TLS");
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
