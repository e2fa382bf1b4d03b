package io.un0.deploy;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver (protobuf bodies on /v1/traces and /v1/metrics, as OpenTelemetry SDKs send them), kept
 * in memory for assertions: the services export to it exactly as they would to a collector.
 */
final class OtlpReceiver implements AutoCloseable {

    /** A span with the service that sent it. */
    record ServiceSpan(String service, Span span) {
    }

    private final HttpServer server;
    private final List<ServiceSpan> spans = new ArrayList<>();
    private final Set<String> metricNames = ConcurrentHashMap.newKeySet();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/traces", exchange -> guarded(exchange, () -> {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body(exchange));
            synchronized (spans) {
                request.getResourceSpansList().forEach(rs -> {
                    String service = rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
                            .map(a -> a.getValue().getStringValue()).findFirst().orElse("?");
                    rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> spans.add(new ServiceSpan(service, s))));
                });
            }
            answer(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        }));
        server.createContext("/v1/metrics", exchange -> guarded(exchange, () -> {
            ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body(exchange));
            request.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList()
                    .forEach(m -> metricNames.add(m.getName()))));
            answer(exchange, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
        }));
        server.start();
    }

    private interface Handler {
        void handle() throws IOException;
    }

    private static void guarded(com.sun.net.httpserver.HttpExchange exchange, Handler handler) {
        try {
            handler.handle();
        } catch (Throwable t) {
            System.err.println("OTLP receiver failed on " + exchange.getRequestURI() + ": " + t);
            t.printStackTrace();
            exchange.close();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ServiceSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    Set<String> metricNames() {
        return Set.copyOf(metricNames);
    }

    private static InputStream body(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        // -1: no body; 0 would announce a chunked one.
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
