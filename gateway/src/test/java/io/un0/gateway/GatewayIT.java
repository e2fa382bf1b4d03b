package io.un0.gateway;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.un0.broker.LocalKafkaResource;
import io.un0.kafka.MeshClients;
import io.un0.kafka.SubmissionCodec;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GenerateStreamResponse;
import io.un0.proto.v1.GeneratorGrpc;
import io.un0.proto.v1.GetBatchRequest;
import io.un0.proto.v1.Image;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.SubmitBatchRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway on a real broker, with the rest of the mesh played by {@link MeshStandIn} on the same broker. */
@QuarkusTest
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT extends GatewayOnStandInMesh {

    @Test
    void generateAnswersWithTheJobsImagesAndCarriesTheTraceContext() throws Exception {
        GenerateResponse response = generator().generate(GenerateRequest.newBuilder().setClassName("sneaker").setCount(3).setSeed(100).build());
        assertEquals(3, response.getImagesCount());
        for (Image image : response.getImagesList()) {
            assertEquals(7, image.getClassId());
            assertEquals("sneaker", image.getClassName());
            assertEquals(100 + image.getIndex(), image.getSeed());
            assertEquals(28, ImageIO.read(new ByteArrayInputStream(image.getPng().toByteArray())).getWidth());
        }
        assertEquals("stand-in", response.getAccounting().getPool());
        assertTrue(response.getAccounting().getTimings().hasTotal());
        ConsumerRecord<String, byte[]> job = mesh.jobsSeen.stream().filter(r -> r.key().equals(response.getJobId())).findFirst().orElseThrow();
        assertEquals(3, Job.parseFrom(job.value()).getCount());
    }

    @Test
    void generateStreamSendsEachImage() {
        List<GenerateStreamResponse> images = new ArrayList<>();
        generator().generateStream(GenerateRequest.newBuilder().setClassId(1).setCount(4).setSeed(7).build()).forEachRemaining(images::add);
        assertEquals(List.of(0, 1, 2, 3), images.stream().map(r -> r.getImage().getIndex()).sorted().toList());
        assertEquals(List.of(7L, 8L, 9L, 10L), images.stream().map(r -> r.getImage().getSeed()).sorted().toList());
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> generator().generate(GenerateRequest.newBuilder().setClassName("hat").setCount(1000).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("class_name: 'hat'"), e.getStatus().getDescription());
        BadRequest details = detail(e, BadRequest.class);
        assertEquals(List.of("class_name", "count"), details.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList());

        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> batches().submitBatch(SubmitBatchRequest.getDefaultInstance())).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> batches().getBatch(GetBatchRequest.getDefaultInstance())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> batches().getBatch(GetBatchRequest.newBuilder().setBatchId("nope").build())).getStatus().getCode());
    }

    @Test
    void deadlinesAndShedJobsGetTheirStatus() {
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () -> generator().generate(GenerateRequest.newBuilder()
                .setClassId(MeshStandIn.NEVER_ANSWERED_CLASS).setDeadline(ProtoTime.timestamp(Instant.now().plusMillis(1500))).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());

        StatusRuntimeException shed = assertThrows(StatusRuntimeException.class,
                () -> generator().generate(GenerateRequest.newBuilder().setClassId(MeshStandIn.NO_CAPACITY_CLASS).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, shed.getStatus().getCode());
        assertEquals(5, detail(shed, RetryInfo.class).getRetryDelay().getSeconds());
    }

    /**
     * Calls on one channel share one HTTP/2 connection: a call its client gives up on (its deadline passes before the
     * answer) must leave the calls beside it alone, whether they run after it or at the same time.
     */
    @Test
    void callsTheirClientsGaveUpOnLeaveTheOthersOnTheConnectionAlone() throws Exception {
        GenerateRequest answered = GenerateRequest.newBuilder().setClassId(1).build();
        // Never answered, so the client gives up on every machine, however fast the stand-in answers.
        GenerateRequest unanswered = GenerateRequest.newBuilder().setClassId(MeshStandIn.NEVER_ANSWERED_CLASS).build();
        for (int i = 0; i < 30; i++) {
            StatusRuntimeException gaveUp = assertThrows(StatusRuntimeException.class,
                    () -> generator().withDeadlineAfter(5, TimeUnit.MILLISECONDS).generate(unanswered));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, gaveUp.getStatus().getCode());
            assertEquals(1, generator().generate(answered).getImagesCount(), "the call after a cancelled one, round " + i);
        }
        GeneratorGrpc.GeneratorFutureStub async = GeneratorGrpc.newFutureStub(channel);
        List<ListenableFuture<GenerateResponse>> ordinary = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // Given up on or answered first, whichever is quicker here: either way the ordinary call beside it is answered.
            async.withDeadlineAfter(20, TimeUnit.MILLISECONDS).generate(answered);
            ordinary.add(async.withDeadlineAfter(60, TimeUnit.SECONDS).generate(answered));
        }
        for (ListenableFuture<GenerateResponse> call : ordinary) {
            assertEquals(1, call.get(60, TimeUnit.SECONDS).getImagesCount());
        }
    }

    /** The same key and request: one job, one answer for every call, now or on a retry. Another request: refused. */
    @Test
    void anIdempotencyKeyGivesTheSameRequestOneAnswerAndRefusesAnother() throws Exception {
        GenerateRequest request = GenerateRequest.newBuilder().setClassId(2).setCount(2).setIdempotencyKey("key-" + UUID.randomUUID()).build();
        GeneratorGrpc.GeneratorFutureStub async = GeneratorGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        List<ListenableFuture<GenerateResponse>> together = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            together.add(async.generate(request));
        }
        Set<GenerateResponse> answers = new HashSet<>();
        for (ListenableFuture<GenerateResponse> call : together) {
            answers.add(call.get(30, TimeUnit.SECONDS));
        }
        assertEquals(1, answers.size(), "four calls at once, one answer");
        GenerateResponse first = answers.iterator().next();
        assertEquals(first, generator().generate(request), "a retry gets the same images");
        assertEquals(1, mesh.jobsSeen.stream().filter(r -> r.key().equals(first.getJobId())).count(), "generated once");

        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> generator().generate(request.toBuilder().setCount(3).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, other.getStatus().getCode());
        assertEquals("idempotency_key", detail(other, BadRequest.class).getFieldViolations(0).getField());
        StatusRuntimeException stream = assertThrows(StatusRuntimeException.class, () -> generator().generateStream(request).next());
        assertEquals(Status.Code.INVALID_ARGUMENT, stream.getStatus().getCode());
    }

    @Test
    void aBatchWrittenByAPlainKafkaProducerInJsonCompletesAndIsWatched() throws Exception {
        String json = "{\"batchId\":\"json-batch-1\",\"items\":[{\"className\":\"bag\"},{\"classId\":3,\"count\":2},{\"className\":\"coat\",\"seed\":\"5\"}]}";
        // Item 0 is a bag, which the stand-in answers "no capacity": the batch ends FAILED with 1 failed item of 3.
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "test-submitter", Duration.ofSeconds(10))) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "json-batch-1",
                    json.getBytes(StandardCharsets.UTF_8));
            record.headers().add(SubmissionCodec.CONTENT_TYPE, SubmissionCodec.JSON.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        List<BatchEvent> events = new ArrayList<>();
        Iterator<BatchEvent> watch = waitForBatch("json-batch-1");
        watch.forEachRemaining(events::add);
        BatchEvent last = events.get(events.size() - 1);
        assertEquals(BatchState.BATCH_STATE_FAILED, last.getBatch().getState());
        assertEquals(3, last.getBatch().getTotalItems());
        assertEquals(2, last.getBatch().getDoneItems());
        assertEquals(1, last.getBatch().getFailedItems());
        List<BatchImage> images = new ArrayList<>();
        batches().fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId("json-batch-1").build()).forEachRemaining(images::add);
        assertEquals(3, images.size(), "two images of item 1 and one of item 2");
        assertEquals(5, images.stream().filter(i -> i.getItemIndex() == 2).findFirst().orElseThrow().getImage().getSeed());
    }

    /**
     * Issue 12, defect 5: a batch's images stayed on the gateway's heap for hours. 240 results of 0.9 MB each (216 MB)
     * are written for a batch before it is submitted; once it has finished, the heap holds no more than a fraction of
     * them, and a fetch reads them back from the results topic, in item order.
     */
    @Test
    void batchImagesStayOnKafkaNotOnTheGatewaysHeap() throws Exception {
        int items = 240;
        byte[] png = new byte[900_000];
        new Random(12).nextBytes(png);
        long before = usedHeapAfterGc();
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "test-heavy-results", Duration.ofSeconds(30))) {
            for (int i = 0; i < items; i++) {
                JobResult r = JobResult.newBuilder().setJobId("heavy-" + i).setBatchId("heavy-batch").setItemIndex(i)
                        .setStatus(JobStatus.JOB_STATUS_SUCCEEDED).setClassId(4).addSeeds(i).addPng(ByteString.copyFrom(png)).build();
                producer.send(new ProducerRecord<>(MeshTopic.RESULTS.name(), r.getJobId(), r.toByteArray())).get();
            }
            BatchSubmission.Builder s = BatchSubmission.newBuilder().setBatchId("heavy-batch");
            for (int i = 0; i < items; i++) {
                s.addItems(BatchItem.newBuilder().setClassId(4));
            }
            producer.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "heavy-batch", s.build().toByteArray())).get();
        }
        List<BatchEvent> events = new ArrayList<>();
        waitForBatch("heavy-batch").forEachRemaining(events::add);
        assertEquals(BatchState.BATCH_STATE_SUCCEEDED, events.get(events.size() - 1).getBatch().getState());
        long grown = usedHeapAfterGc() - before;
        assertTrue(grown < 216_000_000L / 4, "the heap grew by " + grown + " bytes for 216 MB of images");

        Iterator<BatchImage> fetched = batches().withMaxInboundMessageSize(2 << 20)
                .fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId("heavy-batch").build());
        int n = 0;
        while (fetched.hasNext()) {
            BatchImage image = fetched.next();
            assertEquals(n, image.getItemIndex());
            assertEquals(n, image.getImage().getSeed());
            assertEquals(ByteString.copyFrom(png), image.getImage().getPng());
            n++;
        }
        assertEquals(items, n);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void aBatchSubmittedOverGrpcIsWatchedToTheEnd() {
        SubmitBatchRequest request = SubmitBatchRequest.newBuilder().addItems(BatchItem.newBuilder().setClassName("dress").setCount(2))
                .addItems(BatchItem.newBuilder().setClassId(0)).setIdempotencyKey("grpc-batch").build();
        String id = batches().submitBatch(request).getBatchId();
        List<BatchEvent> events = new ArrayList<>();
        waitForBatch(id).forEachRemaining(events::add);
        assertEquals(BatchState.BATCH_STATE_SUCCEEDED, events.get(events.size() - 1).getBatch().getState());
        assertEquals(0.03, events.get(events.size() - 1).getBatch().getEnergy().getJoules(), 1e-9);
        assertEquals(id, batches().submitBatch(request).getBatchId(), "a retry under the key is the same batch");
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> batches().submitBatch(SubmitBatchRequest.newBuilder()
                .addItems(BatchItem.newBuilder().setClassId(0)).setIdempotencyKey("grpc-batch").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, other.getStatus().getCode(), "another batch may not take the key");
        assertEquals("idempotency_key", detail(other, BadRequest.class).getFieldViolations(0).getField());
    }

    /** A batch written twice runs once; another batch written under its id is dead-lettered, not merged into it. */
    @Test
    void aResubmittedBatchRunsOnceAndAnotherBatchCannotTakeItsId() throws Exception {
        String same = "{\"batchId\":\"twice-1\",\"items\":[{\"classId\":4},{\"classId\":5,\"count\":2}]}";
        String other = "{\"batchId\":\"twice-1\",\"items\":[{\"classId\":6}]}";
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "test-twice", Duration.ofSeconds(10))) {
            for (String json : List.of(same, same, other)) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "twice-1", json.getBytes(StandardCharsets.UTF_8));
                record.headers().add(SubmissionCodec.CONTENT_TYPE, SubmissionCodec.JSON.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }
        List<BatchEvent> events = new ArrayList<>();
        waitForBatch("twice-1").forEachRemaining(events::add);
        assertEquals(2, events.get(events.size() - 1).getBatch().getTotalItems(), "the first submission is the batch");
        DeadLetter taken = null;
        try (KafkaConsumer<String, byte[]> c = MeshClients.groupMember(bootstrapServers, "test-dlq-twice", "test-dlq-twice", 100)) {
            c.subscribe(List.of(MeshTopic.DEAD_LETTERS.name()));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (taken == null && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    DeadLetter d = DeadLetter.parseFrom(r.value());
                    if (d.getKey().toStringUtf8().equals("twice-1")) {
                        taken = d;
                    }
                }
            }
        }
        assertTrue(taken != null && taken.getReason().startsWith("batch_id: twice-1 already names another batch"), String.valueOf(taken));
        Thread.sleep(1_000);
        assertEquals(2, mesh.jobsSeen.stream().filter(r -> r.key().startsWith("twice-1")).count(), "each item's job once: nothing generated twice");
    }

    @Test
    void unreadableAndInvalidSubmissionsAreDeadLettered() throws Exception {
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "test-junk", Duration.ofSeconds(10))) {
            producer.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "junk", new byte[] {(byte) 0xff, 0x01})).get();
            producer.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), "bad-class",
                    "{\"batchId\":\"bad-class\",\"items\":[{\"className\":\"hat\"}]}".getBytes(StandardCharsets.UTF_8))).get();
        }
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = MeshClients.groupMember(bootstrapServers, "test-dlq", "test-dlq", 100)) {
            c.subscribe(List.of(MeshTopic.DEAD_LETTERS.name()));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Other tests' dead letters may come first: read until both of these are in.
            while (!letters.stream().map(d -> d.getKey().toStringUtf8()).collect(Collectors.toSet()).containsAll(Set.of("junk", "bad-class"))
                    && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    letters.add(DeadLetter.parseFrom(r.value()));
                }
            }
        }
        DeadLetter junk = letters.stream().filter(d -> d.getKey().toStringUtf8().equals("junk")).findFirst().orElseThrow();
        assertTrue(junk.getReason().startsWith("not an un0.v1.BatchSubmission"), junk.getReason());
        assertEquals(2, junk.getValue().size(), "the original bytes are kept");
        DeadLetter badClass = letters.stream().filter(d -> d.getKey().toStringUtf8().equals("bad-class")).findFirst().orElseThrow();
        assertTrue(badClass.getReason().startsWith("items[0].class_name: 'hat'"), badClass.getReason());
        assertEquals(MeshTopic.BATCH_SUBMISSIONS.name(), badClass.getTopic());
    }

    @Test
    void anyGrpcToolCanDiscoverAndHealthCheckIt() throws Exception {
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse r) {
                services.complete(r.getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList());
            }

            @Override
            public void onError(Throwable t) {
                services.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> names = services.get(10, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(names.containsAll(List.of("un0.v1.Generator", "un0.v1.Batches")), names.toString());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("un0.v1.Generator").build()).getStatus());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("un0.v1.Nothing").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), "the health protocol's answer for a service not served");
        assertEquals(HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN, HealthGrpc.newBlockingStub(channel)
                .watch(HealthCheckRequest.newBuilder().setService("un0.v1.Nothing").build()).next().getStatus());
    }

    /** Over the inbound limit (4 MiB, grpc-java's default), a call is refused saying so, and the connection stays usable. */
    /** Issue 12: bytes that are not a request were answered UNKNOWN ("Application error processing RPC") by grpc-java. */
    @Test
    void bytesThatAreNotARequestAreRefusedNamingTheMessage() {
        MethodDescriptor.Marshaller<byte[]> raw = new MethodDescriptor.Marshaller<>() {
            @Override
            public java.io.InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        MethodDescriptor<byte[], byte[]> generate = MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("un0.v1.Generator/Generate").setRequestMarshaller(raw).setResponseMarshaller(raw).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, generate,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), new byte[] {(byte) 0xff, 0x00, 0x13}));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("un0.v1.GenerateRequest"), e.getStatus().getDescription());
        assertEquals(1, generator().generate(GenerateRequest.newBuilder().setClassId(1).build()).getImagesCount(), "the next call is served");
    }

    /** Issue 12: a deadline outside Instant's range answered UNKNOWN, from an exception before validation. */
    @Test
    void aDeadlineOutOfRangeIsAFieldErrorOnBothCalls() {
        for (long seconds : new long[] {1L << 62, -(1L << 62)}) {
            GenerateRequest far = GenerateRequest.newBuilder().setClassId(1)
                    .setDeadline(com.google.protobuf.Timestamp.newBuilder().setSeconds(seconds)).build();
            StatusRuntimeException unary = assertThrows(StatusRuntimeException.class, () -> generator().generate(far));
            assertEquals(Status.Code.INVALID_ARGUMENT, unary.getStatus().getCode(), unary.getStatus().toString());
            assertEquals("deadline", detail(unary, BadRequest.class).getFieldViolations(0).getField());
            StatusRuntimeException stream = assertThrows(StatusRuntimeException.class, () -> generator().generateStream(far).next());
            assertEquals(Status.Code.INVALID_ARGUMENT, stream.getStatus().getCode(), stream.getStatus().toString());
        }
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedNamingTheLimit() {
        StatusRuntimeException tooBig = assertThrows(StatusRuntimeException.class, () -> generator().generate(GenerateRequest.newBuilder()
                .setClassId(1).setIdempotencyKey("k".repeat(5 << 20)).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
        assertTrue(tooBig.getStatus().getDescription().contains("4194304"), tooBig.getStatus().getDescription());
        assertEquals(1, generator().generate(GenerateRequest.newBuilder().setClassId(1).build()).getImagesCount());
    }

    /** A deadline per call: a stub's deadline is a point in time. */
    private GeneratorGrpc.GeneratorBlockingStub generator() {
        return GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private BatchesGrpc.BatchesBlockingStub batches() {
        return BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** The batch becomes known once the results reader has read its submission; then it is watched. */
    private Iterator<BatchEvent> waitForBatch(String id) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                batches().getBatch(GetBatchRequest.newBuilder().setBatchId(id).build());
                return batches().watchBatch(GetBatchRequest.newBuilder().setBatchId(id).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND || System.nanoTime() > until) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException e, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, "rich error details");
        return status.getDetailsList().stream().filter(a -> a.is(type)).findFirst().map(a -> {
            try {
                return a.unpack(type);
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new IllegalStateException(x);
            }
        }).orElseThrow();
    }
}
