package io.un0.deploy;

import io.grpc.ManagedChannel;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshChannels;
import io.un0.deploy.mesh.MeshOptions;
import io.un0.deploy.mesh.NodeNetworks;
import io.un0.deploy.mesh.ServiceProcess;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.Batch;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.GetBatchRequest;
import io.un0.proto.v1.SubmitBatchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short version of the cluster fault suite: the mesh on three Kafka nodes, each a process, with two schedulers.
 * The node that leads the jobs topic's first partition is killed (SIGKILL) while a batch runs, then one of the
 * schedulers while another runs; where network namespaces can be made, on a mesh whose nodes each have one, that
 * leader is cut off the network under a batch. Nothing is lost, nothing is doubled.
 */
class ClusterFaultsIT {

    private static final int ITEMS = 40;
    private static final int IMAGES_PER_ITEM = 16;
    /** Past the brokers' session timeout: the cluster moves the cut-off node's partitions on before it comes back. */
    private static final Duration CUT_OFF = Duration.ofSeconds(20);

    @FunctionalInterface
    private interface Fault {
        void inject() throws Exception;
    }

    @Test
    void aPartitionLeaderAndASchedulerKilledMidBatchLoseNothingAndDoubleNothing() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(threeNodesTwoSchedulers(false))) {
            ManagedChannel channel = MeshChannels.withToken(mesh.credentials(), mesh.service("gateway").ports().grpc(), Caller.TENANT_A);
            try {
                BatchesGrpc.BatchesBlockingStub batches = BatchesGrpc.newBlockingStub(channel);
                ServiceProcess leader = mesh.brokers().get(mesh.leaderOf(MeshTopic.JOBS, 0) - 1);
                runBatchThrough(mesh, batches, leader::kill);
                assertEquals(2, mesh.brokers().stream().filter(ServiceProcess::alive).count());
                assertTrue(mesh.firstExited().isEmpty(), "every service rode through the broker's loss");

                ServiceProcess second = mesh.service(mesh.schedulers().get(1));
                runBatchThrough(mesh, batches, second::kill);
                assertTrue(mesh.service("scheduler").alive(), "the first scheduler took the second's partitions over");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPartitionLeaderCutOffTheNetworkMidBatchLosesNothingAndDoublesNothing() throws Exception {
        Optional<String> unavailable = NodeNetworks.unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        try (LocalMesh mesh = LocalMesh.start(threeNodesTwoSchedulers(true))) {
            ManagedChannel channel = MeshChannels.withToken(mesh.credentials(), mesh.service("gateway").ports().grpc(), Caller.TENANT_A);
            try {
                int leader = mesh.leaderOf(MeshTopic.JOBS, 0);
                NodeNetworks networks = mesh.networks().orElseThrow();
                runBatchThrough(mesh, BatchesGrpc.newBlockingStub(channel), () -> {
                    networks.cut(leader);
                    try {
                        Thread.sleep(CUT_OFF.toMillis());
                    } finally {
                        networks.heal(leader);
                    }
                });
                assertTrue(mesh.firstExited().isEmpty(), "every service rode through the partition");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The second scheduler takes the two ports after the first's gRPC port. */
    private static MeshOptions threeNodesTwoSchedulers(boolean nodeNetworks) throws Exception {
        Path home = Path.of(System.getProperty("un0.home", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("un0-cluster-it");
        FreePorts ports = new FreePorts();
        // Two gateways and two schedulers: the second of each listens on the port after the first's.
        return new MeshOptions(home, data, 0, 0, 3, nodeNetworks, ports.run(2), ports.run(2), 1, 2, ports.one(), ports.run(3),
                ports.one(), 1, false, 300, "test", Optional.empty(), Map.of(), MeshOptions.JVM_FLAGS);
    }

    /** Submits a batch, injects the fault a few items in, and checks that every image arrives once. */
    private static void runBatchThrough(LocalMesh mesh, BatchesGrpc.BatchesBlockingStub batches, Fault fault) throws Exception {
        SubmitBatchRequest.Builder request = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < ITEMS; i++) {
            request.addItems(BatchItem.newBuilder().setClassId(i % 10).setCount(IMAGES_PER_ITEM));
        }
        String id = batches.withDeadlineAfter(30, TimeUnit.SECONDS).submitBatch(request.build()).getBatchId();
        awaitBatch(batches, id, b -> b.getDoneItems() >= 3, Duration.ofMinutes(2));
        assertTrue(awaitBatch(batches, id, b -> true, Duration.ZERO).getDoneItems() < ITEMS, "the batch is still running when the fault comes");
        fault.inject();

        Batch done;
        try {
            done = awaitBatch(batches, id, b -> b.getState() == BatchState.BATCH_STATE_SUCCEEDED, Duration.ofMinutes(4));
        } catch (AssertionError e) {
            // Where the mesh stands, into the test's report: the processes and their logs are gone once it fails.
            System.out.println(mesh.diagnosis());
            throw e;
        }
        assertEquals(ITEMS, done.getDoneItems());
        Set<String> distinct = new HashSet<>();
        int images = 0;
        var fetched = batches.withDeadlineAfter(120, TimeUnit.SECONDS).fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(id).build());
        while (fetched.hasNext()) {
            BatchImage image = fetched.next();
            images++;
            distinct.add(image.getItemIndex() + "/" + image.getImage().getSeed());
        }
        assertEquals(ITEMS * IMAGES_PER_ITEM, images, "every image, through the fault");
        assertEquals(images, distinct.size(), "no image twice");
    }

    /** Asks for the batch until it is as wanted (a wait of zero: asks once); fails naming its last state. */
    private static Batch awaitBatch(BatchesGrpc.BatchesBlockingStub batches, String id, Predicate<Batch> wanted, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        Batch last = null;
        while (true) {
            try {
                last = batches.withDeadlineAfter(10, TimeUnit.SECONDS).getBatch(GetBatchRequest.newBuilder().setBatchId(id).build());
                if (wanted.test(last)) {
                    return last;
                }
            } catch (io.grpc.StatusRuntimeException e) {
                // A gateway between brokers may answer UNAVAILABLE for a moment: ask again.
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("batch " + id + " not as wanted within " + within + "; last: " + last);
            }
            Thread.sleep(200);
        }
    }
}
