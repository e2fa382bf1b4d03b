package io.un0.deploy.mesh;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the mesh as its own process, logging to a file: a Quarkus app started from its packaged build,
 * configured through system properties and ready when its readiness check says so, or a main class of the
 * launcher's own class path (the broker), ready when its log says so.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Whether a started process is ready to serve. */
    private interface Readiness {
        boolean ready(ServiceProcess s) throws IOException, InterruptedException;
    }

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Readiness readiness;
    private final Ports ports;
    private final Process process;
    private final Path log;
    /** How long the log was when this process started: a restarted one's readiness is read from there on. */
    private final long logStart;

    /**
     * Where a service listens: HTTP (health, metrics) and gRPC, the same port where gRPC shares the HTTP server.
     */
    public record Ports(int http, int grpc) {

        /** gRPC and HTTP on one port. */
        public static Ports shared(int port) {
            return new Ports(port, port);
        }
    }

    private ServiceProcess(String name, List<String> command, Map<String, String> environment, Readiness readiness, Ports ports,
                           Process process, Path log, long logStart) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.readiness = readiness;
        this.ports = ports;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * @param app        the app's packaged build ({@code <module>/target/quarkus-app/quarkus-run.jar})
     * @param properties the app's configuration, as system properties
     * @param jvmFlags   flags for its JVM
     */
    static ServiceProcess start(String name, Path app, Ports ports, Map<String, String> properties, List<String> jvmFlags, Path log) throws IOException {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(name + ": no packaged build at " + app + "; build it first (mvn -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-Xmx512m");
        command.addAll(jvmFlags);
        command.add("-Dquarkus.http.port=" + ports.http());
        if (ports.grpc() != ports.http()) {
            command.add("-Dquarkus.grpc.server.port=" + ports.grpc());
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(app.toString());
        Readiness http = s -> {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.http() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        };
        return launch(name, command, Map.of(), http, ports, log, ProcessBuilder.Redirect.to(log.toFile()));
    }

    /**
     * A main class of this launcher's class path in a process of its own, ready once a line of its log starts with
     * {@code readyLine}.
     *
     * @param environment what it reads from its environment (secrets stay off its command line)
     */
    /** @param under what the command runs under (a network namespace's {@code ip netns exec}); empty for nothing */
    static ServiceProcess startMain(String name, String mainClass, List<String> arguments, Map<String, String> environment, List<String> jvmFlags,
                                    Ports ports, String readyLine, Path log, List<String> under) throws IOException {
        List<String> command = new ArrayList<>(under);
        command.addAll(List.of(java(), "-Xmx1g"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        Readiness logged = s -> Files.isRegularFile(s.log) && s.logSinceStart().lines().anyMatch(l -> l.startsWith(readyLine));
        return launch(name, command, environment, logged, ports, log, ProcessBuilder.Redirect.to(log.toFile()));
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * The same service started again, as a restarted machine would: the same build, ports and configuration, its
     * log continued below what the stopped one wrote.
     *
     * @throws IllegalStateException while this one still runs
     */
    ServiceProcess restarted() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + "); stop it before starting it again");
        }
        return launch(name, command, environment, readiness, ports, log, ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static ServiceProcess launch(String name, List<String> command, Map<String, String> environment, Readiness readiness, Ports ports,
                                         Path log, ProcessBuilder.Redirect output) throws IOException {
        Files.createDirectories(log.getParent());
        long logStart = output.type() == ProcessBuilder.Redirect.Type.APPEND && Files.isRegularFile(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        builder.environment().putAll(environment);
        return new ServiceProcess(name, command, environment, readiness, ports, builder.start(), log, logStart);
    }

    public String name() {
        return name;
    }

    public Ports ports() {
        return ports;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Its operating-system process id, for tools that attach to the JVM (jcmd). */
    public long pid() {
        return process.pid();
    }

    /** @throws IllegalStateException with the end of its log when it exits or is not ready in time */
    void awaitReady(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(exitReport());
            }
            try {
                if (readiness.ready(this)) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s:\n" + tail());
    }

    /** What this process (not an earlier one of the same name) has written to the log. */
    private String logSinceStart() throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart), StandardCharsets.UTF_8);
    }

    /** Stops it without ending it (SIGSTOP), as a long pause or a hung machine would: it neither answers nor times out. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a paused process go on (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " (" + name + "): " + out);
        }
    }

    /** The last lines of its log, to say why it failed. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The mesh's own figures it exports now ({@code un0_} lines of {@code /q/metrics}: held jobs, live pools, ...): what
     * a process that still moves thinks of the fleet.
     */
    public String meshMetrics() {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.http() + "/q/metrics")).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "(/q/metrics answered " + response.statusCode() + ")";
            }
            return String.join("\n", response.body().lines().filter(l -> l.startsWith("un0_")).toList());
        } catch (IOException e) {
            return "(no metrics: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no metrics: interrupted)";
        }
    }

    /** Its threads' stacks now ({@code jcmd Thread.print}): where a process that no longer moves is waiting. */
    public String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** Why it is gone: its exit status and the end of its log. Only once it has exited. */
    public String exitReport() {
        return name + " exited with status " + process.exitValue() + ":\n" + tail();
    }

    /** As a crash would: no shutdown hooks, nothing flushed, nothing committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** A clean stop (SIGTERM): the app closes its consumers and producers; forced after 15 s. */
    @Override
    public void close() throws InterruptedException {
        closeTogether(List.of(this));
    }

    /**
     * Clean stops of several at once: the nodes of a Kafka cluster hand their partitions over to each other as they
     * stop, which needs the others' controllers still up; one after the other, the last would wait for a quorum gone.
     */
    public static void closeTogether(List<ServiceProcess> processes) throws InterruptedException {
        processes.forEach(p -> p.process.destroy());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ServiceProcess p : processes) {
            if (!p.process.waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.process.destroyForcibly();
                p.process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
