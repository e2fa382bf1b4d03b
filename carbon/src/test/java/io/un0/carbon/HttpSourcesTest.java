package io.un0.carbon;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each HTTP source against a local server answering with the API's documented shapes, then garbage and errors. */
class HttpSourcesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:10:00Z");

    /** What the server answers per path: status and body. */
    private record Answer(int status, String body) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private HttpServer server;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), v.get(0)));
            Answer a = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "{\"error\":\"not found\"}"));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void electricityMaps() throws Exception {
        ElectricityMapsApi source = new ElectricityMapsApi(base, "secret", http, Duration.ofSeconds(5));
        answers.put("/v3/carbon-intensity/latest", new Answer(200, "{\"zone\":\"ES\",\"carbonIntensity\":182,\"datetime\":\"2026-11-26T10:00:00.000Z\","
                + "\"updatedAt\":\"2026-11-26T10:05:00.000Z\",\"emissionFactorType\":\"lifecycle\",\"isEstimated\":true,\"estimationMethod\":null}"));
        IntensitySignal s = source.current("ES", NOW);
        assertEquals(182, s.gramsPerKwh());
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), s.validFrom());
        assertEquals("secret", lastHeaders.get("auth-token"));
        assertFalse(s.stale());

        answers.put("/v3/carbon-intensity/latest", new Answer(200, "{\"zone\":\"ES\",\"carbonIntensity\":null,\"datetime\":\"2026-11-26T10:00:00.000Z\"}"));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("ES", NOW)).getMessage().contains("carbonIntensity"));
        answers.put("/v3/carbon-intensity/latest", new Answer(401, "{\"message\":\"invalid token\"}"));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("ES", NOW)).getMessage().contains("HTTP 401"));
        answers.put("/v3/carbon-intensity/latest", new Answer(200, "<html>maintenance</html>"));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("ES", NOW)).getMessage().contains("not JSON"));
    }

    @Test
    void ukCarbonIntensity() throws Exception {
        UkCarbonIntensityApi source = new UkCarbonIntensityApi(base, http, Duration.ofSeconds(5));
        answers.put("/intensity", new Answer(200, "{\"data\":[{\"from\":\"2026-11-26T10:00Z\",\"to\":\"2026-11-26T10:30Z\","
                + "\"intensity\":{\"forecast\":180,\"actual\":176,\"index\":\"moderate\"}}]}"));
        IntensitySignal s = source.current("GB", NOW);
        assertEquals(176, s.gramsPerKwh(), "the actual figure where published");
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), s.validFrom());
        answers.put("/intensity", new Answer(200, "{\"data\":[{\"from\":\"2026-11-26T10:00Z\",\"to\":\"2026-11-26T10:30Z\","
                + "\"intensity\":{\"forecast\":180,\"actual\":null,\"index\":\"moderate\"}}]}"));
        assertEquals(180, source.current("GB", NOW).gramsPerKwh(), "else the forecast");
        assertTrue(source.current("GB", NOW).source().contains("forecast"));
        assertThrows(SignalUnavailableException.class, () -> source.current("ES", NOW), "GB only");
        answers.put("/intensity", new Answer(200, "{\"data\":[]}"));
        assertThrows(SignalUnavailableException.class, () -> source.current("GB", NOW));
        answers.put("/intensity", new Answer(503, ""));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("GB", NOW)).getMessage().contains("HTTP 503"));
    }

    @Test
    void carbonAwareSdk() throws Exception {
        CarbonAwareSdkApi source = new CarbonAwareSdkApi(base, http, Duration.ofSeconds(5));
        answers.put("/emissions/bylocation", new Answer(200, "[{\"location\":\"eastus\",\"time\":\"2026-11-26T09:55:00+00:00\",\"rating\":410.0,\"duration\":\"00:05:00\"},"
                + "{\"location\":\"eastus\",\"time\":\"2026-11-26T10:05:00+00:00\",\"rating\":402.5,\"duration\":\"00:05:00\"},"
                + "{\"location\":\"eastus\",\"time\":\"2026-11-26T10:15:00+00:00\",\"rating\":395.0,\"duration\":\"00:05:00\"}]"));
        IntensitySignal s = source.current("eastus", NOW);
        assertEquals(402.5, s.gramsPerKwh(), "the newest entry at or before now, never a later one");
        answers.put("/emissions/bylocation", new Answer(200, "{\"title\":\"not a list\"}"));
        assertThrows(SignalUnavailableException.class, () -> source.current("eastus", NOW));
        answers.put("/emissions/bylocation", new Answer(200, "[{\"location\":\"eastus\",\"time\":\"yesterday\",\"rating\":1}]"));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("eastus", NOW)).getMessage().contains("time"));
        answers.put("/emissions/bylocation", new Answer(500, "{\"title\":\"boom\"}"));
        assertThrows(SignalUnavailableException.class, () -> source.current("eastus", NOW));
    }

    @Test
    void aDeadServiceFallsBackFlaggedStale() throws Exception {
        UkCarbonIntensityApi live = new UkCarbonIntensityApi(base, http, Duration.ofSeconds(5));
        FallbackIntensity source = new FallbackIntensity(live, new StaticIntensity(Map.of("GB", 200.0), "declared"));
        answers.put("/intensity", new Answer(200, "{\"data\":[{\"from\":\"2026-11-26T10:00Z\",\"intensity\":{\"forecast\":150,\"actual\":140}}]}"));
        assertFalse(source.current("GB", NOW).stale());
        server.stop(0);
        IntensitySignal old = source.current("GB", NOW);
        assertTrue(old.stale());
        assertEquals(140, old.gramsPerKwh());
    }
}
