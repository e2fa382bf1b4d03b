package io.un0.gateway;

import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.un0.auth.testing.TestTokens;
import io.un0.broker.LocalKafkaResource;
import io.un0.proto.inference.GRPCInferenceServiceGrpc;
import io.un0.proto.inference.ModelInferRequest;
import io.un0.proto.inference.ModelMetadataRequest;
import io.un0.proto.inference.ServerLiveRequest;
import io.un0.proto.inference.ServerReadyRequest;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.CancelBatchRequest;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GeneratorGrpc;
import io.un0.proto.v1.GetBatchRequest;
import io.un0.proto.v1.GetUsageRequest;
import io.un0.proto.v1.ListQuotasRequest;
import io.un0.proto.v1.Quota;
import io.un0.proto.v1.QuotasGrpc;
import io.un0.proto.v1.SubmitBatchRequest;
import io.un0.proto.v1.TenantUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, who may do what: the gateway with authentication on (tokens signed by the tests' key). Anonymous and
 * wrong-role callers are refused, a tenant cannot see another's batch, and quotas stop a tenant at its rate and at
 * its daily carbon budget.
 */
@QuarkusTest
@TestProfile(GatewayAccessIT.Authenticated.class)
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAccessIT extends GatewayOnStandInMesh {

    public static class Authenticated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("un0.auth.enabled", "true", "un0.auth.token-keys", TestTokens.publicKeyFile().toString());
        }
    }

    private static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(m);
            }
        };
    }

    private GeneratorGrpc.GeneratorBlockingStub generator(String token) {
        return GeneratorGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    private BatchesGrpc.BatchesBlockingStub batches(String token) {
        return BatchesGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    private QuotasGrpc.QuotasBlockingStub quotas(String token) {
        return QuotasGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    private static Status.Code code(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus().getCode();
    }

    private static final String OPERATOR = TestTokens.token("ops", "operators", "operator");
    private static final GenerateRequest ONE = GenerateRequest.newBuilder().setClassId(1).build();

    @Test
    void anonymousOrWrongRoleCallersAreRefused() {
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> GeneratorGrpc.newBlockingStub(channel).generate(ONE)));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> generator("not-a-token").generate(ONE)));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> BatchesGrpc.newBlockingStub(channel)
                .getBatch(GetBatchRequest.newBuilder().setBatchId("x").build())));
        String client = TestTokens.token("alice", "tenant-a", "client");
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> quotas(client).setQuota(Quota.newBuilder().setTenant("tenant-a").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertTrue(denied.getStatus().getDescription().contains("operator"), denied.getStatus().getDescription());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> generator(OPERATOR).generate(ONE)), "an operator is not a client");
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> quotas(client).getUsage(GetUsageRequest.newBuilder().setTenant("tenant-b").build())));
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> inference.modelInfer(ModelInferRequest.newBuilder().setModelName("un0-fmnist").build())));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> inference.modelMetadata(ModelMetadataRequest.newBuilder().setName("un0-fmnist").build())));
        // Open to anyone: health, and the inference protocol's probes, which orchestrators send without a credential.
        assertEquals("SERVING", HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus().name());
        assertTrue(inference.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(inference.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        // The right role passes.
        assertEquals(1, generator(client).generate(ONE).getImagesCount());
        assertEquals("tenant-a", quotas(client).getUsage(GetUsageRequest.getDefaultInstance()).getTenant());
        quotas(OPERATOR).listQuotas(ListQuotasRequest.getDefaultInstance());
    }

    @Test
    void aTenantCannotSeeAnotherTenantsBatch() {
        String alice = TestTokens.token("alice", "tenant-a", "client");
        String bob = TestTokens.token("bob", "tenant-b", "client");
        SubmitBatchRequest request = SubmitBatchRequest.newBuilder().setIdempotencyKey("nightly")
                .addItems(BatchItem.newBuilder().setClassId(2)).build();
        String id = batches(alice).submitBatch(request).getBatchId();
        List<BatchEvent> events = new ArrayList<>();
        awaitKnown(alice, id);
        batches(alice).watchBatch(GetBatchRequest.newBuilder().setBatchId(id).build()).forEachRemaining(events::add);
        assertEquals(BatchState.BATCH_STATE_SUCCEEDED, events.get(events.size() - 1).getBatch().getState());

        GetBatchRequest theirs = GetBatchRequest.newBuilder().setBatchId(id).build();
        assertEquals(Status.Code.NOT_FOUND, code(() -> batches(bob).getBatch(theirs)));
        assertEquals(Status.Code.NOT_FOUND, code(() -> batches(bob).watchBatch(theirs).next()));
        assertEquals(Status.Code.NOT_FOUND, code(() -> batches(bob).fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(id).build()).next()));
        assertEquals(Status.Code.NOT_FOUND, code(() -> batches(bob).cancelBatch(CancelBatchRequest.newBuilder().setBatchId(id).build())));
        // The same key in another tenant is another batch, not alice's.
        String bobs = batches(bob).submitBatch(request).getBatchId();
        assertTrue(!bobs.equals(id), "one key, two tenants, two batches");
        assertEquals(1, countImages(alice, id));
    }

    /** A batch is known once the results reader has read its submission back. */
    private void awaitKnown(String token, String batchId) {
        long until = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                batches(token).getBatch(GetBatchRequest.newBuilder().setBatchId(batchId).build());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND || System.nanoTime() > until) {
                    throw e;
                }
            }
            Thread.onSpinWait();
        }
    }

    private int countImages(String token, String batchId) {
        int[] n = {0};
        batches(token).fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(batchId).build()).forEachRemaining(i -> n[0]++);
        return n[0];
    }

    @Test
    void aTenantIsStoppedAtItsDailyCarbonBudgetAndItsRate() {
        String carol = TestTokens.token("carol", "tenant-c", "client");
        // The stand-in accounts 0.001 gCO2e an image: a budget of 0.0015 g allows two single-image calls.
        Quota set = quotas(OPERATOR).setQuota(Quota.newBuilder().setTenant("tenant-c").setGramsCo2EPerDay(0.0015).setSetBy("forged").build());
        assertEquals("ops", set.getSetBy(), "the audit trail names the credential's subject");
        generator(carol).generate(ONE);
        generator(carol).generate(ONE);
        StatusRuntimeException over = assertThrows(StatusRuntimeException.class, () -> generator(carol).generate(ONE));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, over.getStatus().getCode());
        assertTrue(over.getStatus().getDescription().contains("grams_co2e_per_day"), over.getStatus().getDescription());
        assertEquals("tenant:tenant-c", GatewayIT.detail(over, QuotaFailure.class).getViolations(0).getSubject());
        assertTrue(GatewayIT.detail(over, RetryInfo.class).getRetryDelay().getSeconds() > 0, "until midnight UTC");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> batches(carol).submitBatch(SubmitBatchRequest.newBuilder()
                .addItems(BatchItem.newBuilder().setClassId(1)).build())), "batches too");
        TenantUsage used = quotas(carol).getUsage(GetUsageRequest.getDefaultInstance());
        assertEquals(2, used.getImages());
        assertEquals(0.002, used.getCarbon().getGramsCo2E(), 1e-12);

        String dave = TestTokens.token("dave", "tenant-d", "client");
        quotas(OPERATOR).setQuota(Quota.newBuilder().setTenant("tenant-d").setImagesPerSecond(0.5).build());
        generator(dave).generate(ONE);
        StatusRuntimeException tooFast = assertThrows(StatusRuntimeException.class, () -> generator(dave).generate(ONE));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooFast.getStatus().getCode());
        assertTrue(tooFast.getStatus().getDescription().contains("images_per_second"), tooFast.getStatus().getDescription());
        assertTrue(GatewayIT.detail(tooFast, RetryInfo.class).getRetryDelay().getSeconds() <= 2);
        // Another tenant is not held back by either.
        generator(TestTokens.token("alice", "tenant-a", "client")).generate(ONE);
    }

}
