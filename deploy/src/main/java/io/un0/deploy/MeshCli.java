package io.un0.deploy;

import io.grpc.ManagedChannel;
import io.un0.deploy.bench.FaultsBenchmark;
import io.un0.deploy.bench.MeshBenchmark;
import io.un0.deploy.demo.DemoClient;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.LocalCredentials.KafkaPrincipal;
import io.un0.deploy.mesh.LocalCredentials;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshChannels;
import io.un0.deploy.mesh.ServiceProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The local mesh: run the demo and stop, stay up, benchmark it, or try it with bad inputs, crashes and sustained load. */
@Command(name = "un0-mesh", mixinStandardHelpOptions = true, subcommands = {MeshCli.Demo.class, MeshCli.Up.class, MeshBenchmark.class, FaultsBenchmark.class},
        description = "The Un-0 mesh on this machine: a real Kafka broker, the scheduler, edge (and GPU) workers, the gateway.")
public final class MeshCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new MeshCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("un0-mesh: " + e.getMessage());
            return 1;
        }).execute(args.length == 0 ? new String[] {"demo"} : args));
    }

    static LocalMesh start(MeshSettings settings) throws Exception {
        System.out.println("starting the mesh: Kafka on 127.0.0.1:" + settings.kafkaPort + ", logs in " + settings.data.resolve("logs"));
        long t0 = System.nanoTime();
        LocalMesh mesh = LocalMesh.start(settings.options());
        System.out.printf("  %-10s kafka 127.0.0.1:%d (SASL/SCRAM)  (log %s)%n", mesh.broker().name(), mesh.broker().ports().grpc(), mesh.broker().log());
        for (ServiceProcess s : mesh.services()) {
            String grpc = s.ports().grpc() == s.ports().http() ? "" : String.format("  gRPC 127.0.0.1:%d", s.ports().grpc());
            System.out.printf("  %-10s http://127.0.0.1:%d%s  (log %s)%n", s.name(), s.ports().http(), grpc, s.log());
        }
        System.out.printf("ready in %.1f s; gRPC at 127.0.0.1:%d (TLS, reflection on); credentials in %s%n", (System.nanoTime() - t0) / 1e9,
                settings.gatewayPort, mesh.credentials().folder());
        return mesh;
    }

    /** How to call the secured mesh by hand: as tenant-a by token, then by client certificate, and as the operator. */
    static void printGrpcurlCalls(LocalCredentials c, MeshSettings settings) {
        String generate = String.format("-d '{\"class_name\":\"sneaker\"}' 127.0.0.1:%d un0.v1.Generator/Generate", settings.gatewayPort);
        System.out.println("call it with grpcurl:");
        System.out.printf("  as tenant-a, by token:%n    grpcurl -cacert %s -H \"authorization: Bearer $(cat %s)\" %s%n",
                c.caCertificate(), c.token(Caller.TENANT_A), generate);
        System.out.printf("  as tenant-a, by client certificate (mutual TLS):%n    grpcurl -cacert %s -cert %s -key %s %s%n",
                c.caCertificate(), c.clientCertificate(), c.clientKey(), generate);
        System.out.printf("  as the operator, the scheduler's Fleet:%n    grpcurl -cacert %s -H \"authorization: Bearer $(cat %s)\" %s%n",
                c.caCertificate(), c.token(Caller.OPERATOR), String.format("127.0.0.1:%d un0.v1.Fleet/ListPools", settings.schedulerGrpcPort));
        System.out.printf("  (tenant-b's token: %s)%n", c.token(Caller.TENANT_B));
    }

    @Command(name = "demo", description = "Start the mesh, generate images over gRPC and a batch over Kafka, write them and a summary, stop.")
    static final class Demo implements Callable<Integer> {

        @Mixin
        MeshSettings settings;

        @Option(names = "--out", description = "Images and summary.json go here (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out/mesh");

        @Option(names = "--images-per-class", description = "Interactive images per class (default: ${DEFAULT-VALUE}).")
        int imagesPerClass = 4;

        @Option(names = "--batch-items", description = "Items of the Kafka batch (default: ${DEFAULT-VALUE}).")
        int batchItems = 20;

        @Option(names = "--images-per-item", description = "Images per batch item (default: ${DEFAULT-VALUE}).")
        int imagesPerItem = 16;

        @Override
        public Integer call() throws Exception {
            try (LocalMesh mesh = start(settings)) {
                ManagedChannel channel = MeshChannels.withToken(mesh.credentials(), settings.gatewayPort, Caller.TENANT_A);
                try {
                    Map<String, Object> summary = new DemoClient(channel, mesh.kafkaAs(KafkaPrincipal.TENANT_A_SUBMITTER),
                            mesh.kafkaAs(KafkaPrincipal.ADMIN), settings.options().gridIntensity(), out).run(imagesPerClass, batchItems, imagesPerItem);
                    System.out.println("summary (" + out.resolve("summary.json") + "):");
                    summary.forEach((k, v) -> System.out.printf("  %-30s %s%n", k, v));
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                System.out.println("stopping the mesh");
            }
            return 0;
        }
    }

    @Command(name = "up", description = "Start the mesh and keep it up until interrupted (Ctrl-C).")
    static final class Up implements Callable<Integer> {

        @Mixin
        MeshSettings settings;

        @Override
        public Integer call() throws Exception {
            LocalMesh mesh = start(settings);
            printGrpcurlCalls(mesh.credentials(), settings);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("stopping the mesh");
                try {
                    mesh.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }));
            System.out.println("up; Ctrl-C stops it, and so does any of its services exiting");
            // A mesh with a service gone is not the mesh asked for: say which one and why, and stop the rest.
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                Optional<ServiceProcess> gone = mesh.firstExited();
                if (gone.isPresent()) {
                    System.err.println("un0-mesh: " + gone.get().exitReport() + "\nstopping the mesh");
                    return 1;
                }
            }
            return 0;
        }
    }
}
