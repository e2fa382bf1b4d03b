package io.un0.deploy.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.un0.deploy.demo.BatchWatch;
import io.un0.deploy.mesh.BearerToken;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.LocalCredentials.KafkaPrincipal;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshChannels;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.FleetGrpc;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GeneratorGrpc;
import io.un0.proto.v1.GetBatchRequest;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.SetBudgetRequest;
import io.un0.proto.v1.SubmitBatchRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Section {@code bad_inputs} of faults.json: bad inputs of every kind, each tried several times (alternating between
 * the two gateways where a gateway answers), with what came back counted by gRPC status code against the code
 * expected; unreadable and invalid Kafka submissions and the dead letters they left; then whether the same channels
 * still serve a good call, and whether calls given up on (a 5 ms deadline) hurt the calls beside them.
 */
final class BadInputs {

    /** One kind of bad gRPC input; the outcome of {@code attempt} is the status it ends with (OK when it returns). */
    private record Kind(String name, String call, String via, Status.Code expected, Attempt attempt) {
    }

    @FunctionalInterface
    private interface Attempt {
        void run(int attempt) throws Exception;
    }

    /** What one kind of bad gRPC input got, over every try. */
    public record KindOutcome(String kind, String call, String via, int tries, String expected, Map<String, Integer> outcomes,
                              Map<String, String> descriptions, boolean asExpected) {
    }

    /** Records written straight to a topic, and how many of them were found on the dead-letter topic with a reason. */
    public record DeadLetterOutcome(String kind, String topic, int written, int foundWithReason, String expected, String reasonExample,
                                    boolean asExpected) {
    }

    /** A valid Generate on the channel that carried the bad inputs. */
    public record GoodCall(String gateway, String outcome, int images, boolean asExpected) {
    }

    /** Calls given up on (their deadline passes mid-call) interleaved on one channel with calls that wait for their images. */
    public record CancelledCalls(String how, int shortDeadlineCalls, Map<String, Integer> shortDeadlineOutcomes, int normalCalls,
                                 Map<String, Integer> normalOutcomes, Map<String, String> normalFailureDescriptions, int normalFailed,
                                 boolean asExpected) {
    }

    public record Report(SectionRun run, int triesPerKind, List<KindOutcome> grpc, List<DeadLetterOutcome> kafka,
                         List<GoodCall> goodCallAfterBadInputs, CancelledCalls cancelledCalls, boolean allAsExpected) {
    }

    private static final String GENERATE = "un0.v1.Generator/Generate";
    /** Not a GenerateRequest: ff 00 is the tag of field 15 with wire type 7, which protobuf does not have. */
    private static final byte[] GARBAGE = {(byte) 0xff, 0x00, 0x13};
    private static final MethodDescriptor<byte[], byte[]> RAW_GENERATE = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(GENERATE)
            .setRequestMarshaller(new RawBytes()).setResponseMarshaller(new RawBytes()).build();
    private static final int CANCELLED_PAIRS = 100;
    private static final int SHORT_DEADLINE_MS = 5;
    private static final Duration DEAD_LETTERS_WITHIN = Duration.ofSeconds(60);

    private final LocalMesh mesh;
    private final List<GatewayChannels> gateways;
    private final int tries;
    /** Makes keys and batch ids of this run unlike those of runs before it, whose records the topics still hold. */
    private final String runId = "faults-" + System.currentTimeMillis();

    BadInputs(LocalMesh mesh, List<GatewayChannels> gateways, int tries) {
        this.mesh = mesh;
        this.gateways = List.copyOf(gateways);
        this.tries = tries;
    }

    Report run() throws Exception {
        Instant started = Instant.now();
        List<KindOutcome> grpc = new ArrayList<>();
        ManagedChannel scheduler = MeshChannels.anonymous(mesh.credentials(), mesh.service("scheduler").ports().grpc());
        try {
            for (Kind kind : kinds(tenantABatch(), scheduler)) {
                KindOutcome outcome = tryAll(kind);
                System.out.printf("  %-78s expected %-20s got %s%n", kind.name(), kind.expected(), outcome.outcomes());
                grpc.add(outcome);
            }
        } finally {
            scheduler.shutdownNow();
        }
        List<DeadLetterOutcome> kafka = deadLetters();
        kafka.forEach(d -> System.out.printf("  %-72s %d of %d on %s%n", d.kind(), d.foundWithReason(), d.written(), MeshTopic.DEAD_LETTERS.name()));
        List<GoodCall> good = new ArrayList<>();
        for (GatewayChannels g : gateways) {
            good.add(goodCall(g));
        }
        good.forEach(c -> System.out.printf("  a valid Generate afterwards on %s: %s, %d image(s)%n", c.gateway(), c.outcome(), c.images()));
        CancelledCalls cancelled = cancelledCalls(gateways.get(0));
        System.out.printf("  %d calls with a %d ms deadline among %d normal ones on one channel: normal ones failed %d%n",
                cancelled.shortDeadlineCalls(), SHORT_DEADLINE_MS, cancelled.normalCalls(), cancelled.normalFailed());
        boolean all = grpc.stream().allMatch(KindOutcome::asExpected) && kafka.stream().allMatch(DeadLetterOutcome::asExpected)
                && good.stream().allMatch(GoodCall::asExpected) && cancelled.asExpected();
        return new Report(SectionRun.since(started), tries, grpc, kafka, good, cancelled, all);
    }

    /** @param scheduler a channel to the scheduler's gRPC server naming no caller: each call brings its token */
    private List<Kind> kinds(String tenantABatch, ManagedChannel scheduler) throws IOException {
        BearerToken tenantA = BearerToken.read(mesh.credentials().token(Caller.TENANT_A));
        BearerToken tenantB = BearerToken.read(mesh.credentials().token(Caller.TENANT_B));
        String alternately = alternately();
        List<Kind> kinds = new ArrayList<>(List.of(
                generate("count 4294967295 (uint32 max)", Status.Code.INVALID_ARGUMENT, r -> r.setCount(-1)),
                generate("count 2147483648 (2^31)", Status.Code.INVALID_ARGUMENT, r -> r.setCount(Integer.MIN_VALUE)),
                generate("count 65 (the limit is 64)", Status.Code.INVALID_ARGUMENT, r -> r.setCount(65)),
                generate("class_id 2147483648 (2^31)", Status.Code.INVALID_ARGUMENT, r -> r.setClassId(Integer.MIN_VALUE)),
                generate("class_id 4294967295 (uint32 max)", Status.Code.INVALID_ARGUMENT, r -> r.setClassId(-1)),
                generate("quality.tier 99 (no such QualityTier)", Status.Code.INVALID_ARGUMENT, r -> r.setQuality(Quality.newBuilder().setTierValue(99))),
                generate("deadline seconds 2^62", Status.Code.INVALID_ARGUMENT, r -> r.setDeadline(Timestamp.newBuilder().setSeconds(1L << 62))),
                generate("deadline seconds -2^62", Status.Code.INVALID_ARGUMENT, r -> r.setDeadline(Timestamp.newBuilder().setSeconds(-(1L << 62)))),
                generate("deadline nanos 2000000000 (a minute ahead otherwise)", Status.Code.INVALID_ARGUMENT, r -> r.setDeadline(
                        Timestamp.newBuilder().setSeconds(Instant.now().plusSeconds(60).getEpochSecond()).setNanos(2_000_000_000))),
                generate("allowed_regions [\"mars\"] (no pool there)", Status.Code.FAILED_PRECONDITION, r -> r.addAllowedRegions("mars")),
                generate("idempotency_key of 5 MiB (gRPC's message limit is 4 MiB)", Status.Code.RESOURCE_EXHAUSTED,
                        r -> r.setIdempotencyKey("k".repeat(5 << 20)))));
        // Expected: INVALID_ARGUMENT naming the message type (UnreadableRequests); grpc-java alone answers UNKNOWN.
        kinds.add(new Kind("Generate as 3 garbage bytes ff 00 13 (a raw call)", GENERATE, alternately, Status.Code.INVALID_ARGUMENT,
                i -> ClientCalls.blockingUnaryCall(gateway(i).tenantA(), RAW_GENERATE, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                        GARBAGE)));
        kinds.add(new Kind("Health Check of a service not served (un0.v1.NoSuchService)", "grpc.health.v1.Health/Check", alternately,
                Status.Code.NOT_FOUND, i -> HealthGrpc.newBlockingStub(gateway(i).tenantA()).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService("un0.v1.NoSuchService").build())));
        kinds.add(new Kind("Generate with no credential (TLS, no token, no client certificate)", GENERATE, alternately,
                Status.Code.UNAUTHENTICATED, i -> generator(gateway(i).anonymous()).generate(oneImage().build())));
        kinds.add(new Kind("Generate with an invalid bearer token", GENERATE, alternately, Status.Code.UNAUTHENTICATED,
                i -> generator(gateway(i).anonymous()).withCallCredentials(new BearerToken("not.a.jwt")).generate(oneImage().build())));
        kinds.add(new Kind("Fleet SetBudget as tenant-a (operators only)", "un0.v1.Fleet/SetBudget",
                "scheduler (gRPC " + mesh.service("scheduler").ports().grpc() + ")", Status.Code.PERMISSION_DENIED,
                i -> FleetGrpc.newBlockingStub(scheduler).withDeadlineAfter(30, TimeUnit.SECONDS).withCallCredentials(tenantA)
                        .setBudget(SetBudgetRequest.newBuilder().setScope(BudgetScope.BUDGET_SCOPE_POOL).setName(LocalMesh.EDGE_POOL)
                                .setWatts(1_000).setSetBy("tenant-a").setReason("a tenant may not").build())));
        kinds.add(new Kind("GetBatch of tenant-a's batch (tenant-a reads it on both) as tenant-b", "un0.v1.Batches/GetBatch", alternately,
                Status.Code.NOT_FOUND, i -> BatchesGrpc.newBlockingStub(gateway(i).anonymous()).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .withCallCredentials(tenantB).getBatch(GetBatchRequest.newBuilder().setBatchId(tenantABatch).build())));
        kinds.add(new Kind("Generate under a key just used for another request (the first call succeeds)", GENERATE, alternately,
                Status.Code.INVALID_ARGUMENT, i -> {
                    String key = runId + "-reused-" + i;
                    generator(gateway(i).tenantA()).generate(oneImage().setSeed(1).setIdempotencyKey(key).build());
                    generator(gateway(i).tenantA()).generate(oneImage().setSeed(2).setIdempotencyKey(key).build());
                }));
        kinds.add(new Kind("GenerateStream with an idempotency_key", "un0.v1.Generator/GenerateStream", alternately,
                Status.Code.INVALID_ARGUMENT, i -> generator(gateway(i).tenantA())
                        .generateStream(oneImage().setIdempotencyKey(runId + "-stream-" + i).build()).forEachRemaining(r -> { })));
        kinds.add(new Kind("SubmitBatch of 10001 items (the limit is 10000)", "un0.v1.Batches/SubmitBatch", alternately,
                Status.Code.INVALID_ARGUMENT, i -> {
                    SubmitBatchRequest.Builder r = SubmitBatchRequest.newBuilder();
                    for (int item = 0; item < 10_001; item++) {
                        r.addItems(BatchItem.newBuilder().setClassId(item % 10).setCount(1));
                    }
                    BatchesGrpc.newBlockingStub(gateway(i).tenantA()).withDeadlineAfter(30, TimeUnit.SECONDS).submitBatch(r.build());
                }));
        return kinds;
    }

    /** A Generate by tenant-a with one thing wrong, through either gateway in turn. */
    private Kind generate(String what, Status.Code expected, UnaryOperator<GenerateRequest.Builder> spoil) {
        return new Kind("Generate " + what, GENERATE, alternately(), expected,
                i -> generator(gateway(i).tenantA()).generate(spoil.apply(oneImage()).build()));
    }

    private String alternately() {
        return gateways.stream().map(GatewayChannels::label).reduce((a, b) -> a + " and " + b).orElseThrow() + ", alternately";
    }

    private KindOutcome tryAll(Kind kind) throws Exception {
        StatusCounts outcomes = new StatusCounts();
        for (int i = 0; i < tries; i++) {
            try {
                kind.attempt().run(i);
                outcomes.add(Status.OK);
            } catch (StatusRuntimeException e) {
                outcomes.add(e.getStatus());
            }
        }
        return new KindOutcome(kind.name(), kind.call(), kind.via(), tries, kind.expected().name(), outcomes.counts(), outcomes.descriptions(),
                outcomes.all(kind.expected()));
    }

    /** A finished batch of tenant-a's that both gateways know, for tenant-b to ask about. */
    private String tenantABatch() throws InterruptedException {
        String id = BatchesGrpc.newBlockingStub(gateways.get(0).tenantA()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .submitBatch(SubmitBatchRequest.newBuilder().addItems(BatchItem.newBuilder().setClassId(0).setCount(1)).build()).getBatchId();
        for (GatewayChannels g : gateways) {
            BatchWatch.untilSucceeded(g.tenantA(), id);
        }
        return id;
    }

    /** Garbage bytes, and valid JSON naming no class the model has, written straight to the submissions topic. */
    private List<DeadLetterOutcome> deadLetters() throws InterruptedException, ExecutionException {
        Map<String, String> kindOfKey = new HashMap<>();
        String garbage = "garbage bytes ff 00 13 on " + MeshTopic.BATCH_SUBMISSIONS.name();
        String unknownClass = "JSON submission with class_name 'unicorn' on " + MeshTopic.BATCH_SUBMISSIONS.name();
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(mesh.kafkaAs(KafkaPrincipal.TENANT_A_SUBMITTER), "faults-bad-inputs", Duration.ofSeconds(10))) {
            for (int i = 0; i < tries; i++) {
                String garbageKey = runId + "-garbage-" + i;
                producer.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), garbageKey, GARBAGE)).get();
                kindOfKey.put(garbageKey, garbage);
                String unknownKey = runId + "-unknown-class-" + i;
                ProducerRecord<String, byte[]> json = new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), unknownKey,
                        ("{\"batchId\":\"" + unknownKey + "\",\"items\":[{\"className\":\"unicorn\",\"count\":1}]}").getBytes(StandardCharsets.UTF_8));
                json.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                producer.send(json).get();
                kindOfKey.put(unknownKey, unknownClass);
            }
        }
        // By key, so that a record dead-lettered twice (a submission read again after a rebalance) counts once.
        Map<String, String> reasonByKey = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = MeshClients.groupMember(mesh.kafkaAs(KafkaPrincipal.ADMIN), runId + "-dead-letters", "faults-reader", 500)) {
            c.subscribe(List.of(MeshTopic.DEAD_LETTERS.name()));
            long until = System.nanoTime() + DEAD_LETTERS_WITHIN.toNanos();
            while (reasonByKey.size() < kindOfKey.size() && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    String reason = r.key() != null && kindOfKey.containsKey(r.key()) ? reason(r.value()) : "";
                    if (!reason.isBlank()) {
                        reasonByKey.putIfAbsent(r.key(), reason);
                    }
                }
            }
        }
        List<DeadLetterOutcome> outcomes = new ArrayList<>();
        for (String kind : List.of(garbage, unknownClass)) {
            List<String> reasons = reasonByKey.entrySet().stream().filter(e -> kindOfKey.get(e.getKey()).equals(kind)).map(Map.Entry::getValue).toList();
            outcomes.add(new DeadLetterOutcome(kind, MeshTopic.BATCH_SUBMISSIONS.name(), tries, reasons.size(),
                    "each on " + MeshTopic.DEAD_LETTERS.name() + " with a reason, within " + DEAD_LETTERS_WITHIN.toSeconds() + " s",
                    reasons.isEmpty() ? "" : reasons.get(0), reasons.size() == tries));
        }
        return outcomes;
    }

    /** A dead letter's reason, when it is about the submissions topic. */
    private static String reason(byte[] deadLetter) {
        try {
            DeadLetter d = DeadLetter.parseFrom(deadLetter);
            return d.getTopic().equals(MeshTopic.BATCH_SUBMISSIONS.name()) ? d.getReason() : "";
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    private static GoodCall goodCall(GatewayChannels g) {
        try {
            int images = generator(g.tenantA()).generate(oneImage().setCount(2).build()).getImagesCount();
            return new GoodCall(g.label(), Status.Code.OK.name(), images, images == 2);
        } catch (StatusRuntimeException e) {
            return new GoodCall(g.label(), e.getStatus().toString(), 0, false);
        }
    }

    /**
     * Pairs of calls sent 10 ms apart on one channel, each pair one call whose deadline passes while the mesh works on
     * it and one that waits: a call given up on must not take the calls beside it down.
     */
    private static CancelledCalls cancelledCalls(GatewayChannels g) throws InterruptedException {
        StatusCounts shortOnes = new StatusCounts();
        StatusCounts normal = new StatusCounts();
        CountDownLatch answered = new CountDownLatch(2 * CANCELLED_PAIRS);
        GeneratorGrpc.GeneratorFutureStub stub = GeneratorGrpc.newFutureStub(g.tenantA());
        for (int i = 0; i < CANCELLED_PAIRS; i++) {
            count(stub.withDeadlineAfter(SHORT_DEADLINE_MS, TimeUnit.MILLISECONDS).generate(oneImage().setSeed(i).build()), shortOnes, answered);
            count(stub.withDeadlineAfter(60, TimeUnit.SECONDS).generate(oneImage().setSeed(i).build()), normal, answered);
            Thread.sleep(10);
        }
        answered.await(120, TimeUnit.SECONDS);
        int normalFailed = normal.total() - normal.counts().getOrDefault(Status.Code.OK.name(), 0);
        Map<String, String> failures = normal.descriptions();
        failures.remove(Status.Code.OK.name());
        return new CancelledCalls(String.format("%d pairs sent 10 ms apart on one channel to %s, each a Generate of one image with a %d ms "
                        + "deadline and one with 60 s", CANCELLED_PAIRS, g.label(), SHORT_DEADLINE_MS), CANCELLED_PAIRS, shortOnes.counts(),
                CANCELLED_PAIRS, normal.counts(), failures, normalFailed, normalFailed == 0 && normal.total() == CANCELLED_PAIRS);
    }

    private static <T> void count(ListenableFuture<T> call, StatusCounts into, CountDownLatch answered) {
        Futures.addCallback(call, new FutureCallback<>() {
            @Override
            public void onSuccess(T result) {
                into.add(Status.OK);
                answered.countDown();
            }

            @Override
            public void onFailure(Throwable t) {
                into.add(Status.fromThrowable(t));
                answered.countDown();
            }
        }, MoreExecutors.directExecutor());
    }

    private GatewayChannels gateway(int attempt) {
        return gateways.get(attempt % gateways.size());
    }

    private static GenerateRequest.Builder oneImage() {
        return GenerateRequest.newBuilder().setClassName("sneaker").setCount(1);
    }

    private static GeneratorGrpc.GeneratorBlockingStub generator(ManagedChannel channel) {
        return GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Bytes as they are, both ways: lets a call send what no generated stub would. */
    private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
