package io.un0.scheduler.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcService;
import io.un0.auth.AuthConfig;
import io.un0.auth.BearerTokens;
import io.un0.auth.Caller;
import io.un0.auth.CredentialException;
import io.un0.auth.Role;
import io.un0.proto.v1.ListBudgetsRequest;
import io.un0.proto.v1.ListPoolsRequest;
import io.un0.proto.v1.ListSignalsRequest;
import io.un0.proto.v1.SetBudgetRequest;
import io.un0.scheduler.fleet.FleetService;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The fleet console's HTTP side (the page itself is {@code /console/}, a static resource): the fleet as the Fleet
 * gRPC service answers it, the last hour's activity, and setting a budget, all for operators only, as Fleet is.
 * A request names its operator with {@code Authorization: Bearer <token>}; without one it is answered 401, with
 * another role 403. Errors come back as JSON with the gRPC status's name and, for a refused budget, each field.
 */
@Singleton
public class ConsoleRoutes {

    static final String API = "/console/api/";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, ToStringSerializer.instance).addSerializer(Duration.class, ToStringSerializer.instance));
    private static final JsonFormat.Printer PROTO_JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final FleetService fleet;
    private final ConsoleFeed feed;
    private final BearerTokens bearer;

    ConsoleRoutes(@GrpcService FleetService fleet, ConsoleFeed feed, AuthConfig auth) {
        this.fleet = fleet;
        this.feed = feed;
        this.bearer = new BearerTokens(auth);
    }

    void routes(@Observes Router router) {
        router.get(API + "fleet").blockingHandler(c -> operator(c, caller -> fleetNow()));
        router.get(API + "activity").blockingHandler(c -> operator(c, caller -> activity()));
        router.post(API + "budgets").handler(BodyHandler.create().setBodyLimit(64 << 10))
                .blockingHandler(c -> operator(c, caller -> setBudget(caller, c.body().asString())));
    }

    private ObjectNode fleetNow() {
        ObjectNode out = JSON.createObjectNode();
        out.set("pools", tree(fleet.listPools(ListPoolsRequest.getDefaultInstance()).await().indefinitely()));
        out.set("budgets", tree(fleet.listBudgets(ListBudgetsRequest.getDefaultInstance()).await().indefinitely()));
        out.set("signals", tree(fleet.listSignals(ListSignalsRequest.getDefaultInstance()).await().indefinitely()));
        return out;
    }

    private ObjectNode activity() {
        ObjectNode out = JSON.valueToTree(feed.view());
        feed.failure().ifPresent(why -> out.put("feedStopped", String.valueOf(why.getMessage())));
        return out;
    }

    /** Set by the operator who asked, whatever the body says. */
    private ObjectNode setBudget(Caller caller, String body) {
        SetBudgetRequest.Builder request = SetBudgetRequest.newBuilder();
        try {
            JsonFormat.parser().merge(body == null ? "" : body, request);
        } catch (InvalidProtocolBufferException e) {
            throw Status.INVALID_ARGUMENT.withDescription("the body is not an un0.v1.SetBudgetRequest in protobuf's JSON mapping: "
                    + e.getMessage()).asRuntimeException();
        }
        return tree(fleet.setBudget(request.setSetBy(caller.subject()).build()).await().indefinitely());
    }

    /** Why a request is not an operator's, as HTTP and gRPC say it. */
    private static final class Refused extends Exception {
        final int httpStatus;
        final Status.Code code;

        Refused(int httpStatus, Status.Code code, String message) {
            super(message, null, false, false);
            this.httpStatus = httpStatus;
            this.code = code;
        }
    }

    /** Answers with what {@code answer} gives the operator who asked. */
    private void operator(RoutingContext c, Function<Caller, ObjectNode> answer) {
        Caller caller;
        try {
            caller = operatorOf(c.request().getHeader(HttpHeaders.AUTHORIZATION));
        } catch (Refused r) {
            reply(c, r.httpStatus, error(r.code.name(), r.getMessage()));
            return;
        }
        try {
            reply(c, 200, answer.apply(caller));
        } catch (StatusRuntimeException e) {
            reply(c, httpStatus(e.getStatus().getCode()), error(e));
        }
    }

    /** The operator the header names; anyone where authentication is off. */
    private Caller operatorOf(String authorization) throws Refused {
        if (!bearer.authenticating()) {
            return Caller.UNAUTHENTICATED;
        }
        if (authorization == null) {
            throw new Refused(401, Status.Code.UNAUTHENTICATED, "no credential: send \"Authorization: Bearer <token>\" with an operator's token");
        }
        Caller caller;
        try {
            caller = bearer.caller(authorization);
        } catch (CredentialException e) {
            throw new Refused(401, Status.Code.UNAUTHENTICATED, e.getMessage());
        }
        if (!caller.has(Role.OPERATOR)) {
            throw new Refused(403, Status.Code.PERMISSION_DENIED, "the console needs the role " + Role.OPERATOR.credentialName() + "; the caller is " + caller);
        }
        return caller;
    }

    private static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case UNAVAILABLE -> 503;
            case NOT_FOUND -> 404;
            default -> 500;
        };
    }

    private static ObjectNode error(StatusRuntimeException e) {
        ObjectNode out = error(e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details != null) {
            details.getDetailsList().stream().filter(d -> d.is(BadRequest.class)).findFirst().ifPresent(d -> {
                try {
                    out.set("violations", tree(d.unpack(BadRequest.class)).path("fieldViolations"));
                } catch (InvalidProtocolBufferException unreadable) {
                    // The status's own description still says what was wrong.
                }
            });
        }
        return out;
    }

    private static ObjectNode error(String code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message);
    }

    private static ObjectNode tree(Message m) {
        try {
            return (ObjectNode) JSON.readTree(PROTO_JSON.print(m));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + m.getDescriptorForType().getFullName() + " as JSON", e);
        }
    }

    private static void reply(RoutingContext c, int status, ObjectNode body) {
        c.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.toString());
    }
}
