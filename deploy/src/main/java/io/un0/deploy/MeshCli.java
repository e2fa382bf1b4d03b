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
import io.un0.deploy.report.FleetReports;
import io.un0.deploy.report.ReportFiles;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The local mesh: run the demo and stop, stay up, benchmark it, or try it with bad inputs, crashes and sustained load. */
@Command(name = "un0-mesh", mixinStandardHelpOptions = true, subcommands = {MeshCli.Demo.class, MeshCli.Up.class, MeshCli.Report.class, MeshBenchmark.class, FaultsBenchmark.class},
        description = "The Un-0 mesh on this machine: a real Kafka broker, the scheduler, edge (and GPU) workers, the gateway.")
public final class MeshCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new MeshCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("un0-mesh: " + e.getMessage());
            return 1;
        }).execute(args.length == 0 ? new String[] {"demo"} : args));
    }

    static LocalMesh start(MeshSettings settings) throws Exception {
        System.out.println("starting the mesh: Kafka (" + settings.brokers + (settings.brokers == 1 ? " node" : " nodes")
                + (settings.nodeNetworks ? ", each in a network namespace of its own" : "") + "), logs in " + settings.data.resolve("logs"));
        long t0 = System.nanoTime();
        LocalMesh mesh = LocalMesh.start(settings.options());
        String[] addresses = mesh.bootstrapServers().split(",");
        for (int i = 0; i < mesh.brokers().size(); i++) {
            ServiceProcess broker = mesh.brokers().get(i);
            System.out.printf("  %-10s kafka %s (SASL/SCRAM)  (log %s)%n", broker.name(), addresses[i], broker.log());
        }
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
                ManagedChannel operator = MeshChannels.withToken(mesh.credentials(), settings.schedulerGrpcPort, Caller.OPERATOR);
                try {
                    Instant started = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                    Map<String, Object> summary = new DemoClient(channel, mesh.kafkaAs(KafkaPrincipal.TENANT_A_SUBMITTER),
                            mesh.kafkaAs(KafkaPrincipal.ADMIN), settings.options().gridIntensity(), out).run(imagesPerClass, batchItems, imagesPerItem);
                    System.out.println("summary (" + out.resolve("summary.json") + "):");
                    summary.forEach((k, v) -> System.out.printf("  %-30s %s%n", k, v));
                    // The run's own sustainability report, every image it was served counted (the warm-up's too; the
                    // interactive images include the streamed ones).
                    long served = ((Number) summary.get("interactive_images")).longValue() + ((Number) summary.get("batch_images")).longValue();
                    SustainabilityReport report = FleetReports.fetch(operator, SustainabilityReportRequest.newBuilder()
                            .setFrom(ProtoTime.timestamp(started)).setTo(ProtoTime.timestamp(Instant.now().plus(1, ChronoUnit.MINUTES)))
                            .setStep(ProtoTime.duration(Duration.ofMinutes(1))).build(), served, Duration.ofSeconds(15));
                    printReport(report, ReportFiles.write(report, out, "sci-report"));
                } finally {
                    operator.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                System.out.println("stopping the mesh");
            }
            return 0;
        }
    }

    static void printReport(SustainabilityReport r, List<Path> files) {
        System.out.printf("sustainability report (SCI): %s%n  %s%n", ReportFiles.describe(r),
                files.stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    @Command(name = "report", description = "Ask the running mesh (un0-mesh up) for a sustainability report after the SCI specification: "
            + "JSON, CSV and a one-page HTML.")
    static final class Report implements Callable<Integer> {

        @Mixin
        MeshSettings settings;

        @Option(names = "--tenant", description = "Whose jobs (default: every tenant).")
        String tenant = "";

        @Option(names = "--from", description = "Start of the period, ISO-8601 (e.g. 2026-12-01T00:00:00Z) (default: a day before --to).")
        Instant from;

        @Option(names = "--to", description = "End of the period, exclusive, ISO-8601 (default: now).")
        Instant to;

        @Option(names = "--step", description = "The time series' step, ISO-8601 (e.g. PT1H) (default: the period in 24 steps).")
        Duration step;

        @Option(names = "--out", description = "The files go here (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out/mesh");

        @Override
        public Integer call() throws Exception {
            Instant end = to == null ? Instant.now() : to;
            SustainabilityReportRequest.Builder request = SustainabilityReportRequest.newBuilder().setTenant(tenant)
                    .setFrom(ProtoTime.timestamp(from == null ? end.minus(Duration.ofDays(1)) : from)).setTo(ProtoTime.timestamp(end));
            if (step != null) {
                request.setStep(ProtoTime.duration(step));
            }
            ManagedChannel operator = MeshChannels.withToken(LocalCredentials.ensure(settings.data), settings.schedulerGrpcPort, Caller.OPERATOR);
            try {
                SustainabilityReport report = FleetReports.fetch(operator, request.build(), 0, Duration.ZERO);
                printReport(report, ReportFiles.write(report, out, "sci-report-" + (tenant.isEmpty() ? "mesh" : tenant)));
            } finally {
                operator.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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
