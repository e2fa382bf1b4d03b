package io.un0.carbon;

import com.sun.net.httpserver.HttpExchange;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger forecastCalls = new AtomicInteger();
    private volatile String validToken;
    private HttpServer server;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), v.get(0)));
            respond(exchange, answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "{\"error\":\"not found\"}")));
        });
        // WattTime's login: Basic auth as watt:hunter2, a new token each time; its data calls take only the newest token.
        server.createContext("/login", exchange -> {
            String basic = "Basic " + Base64.getEncoder().encodeToString("watt:hunter2".getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, new Answer(401, "{\"error\":\"Unauthorized\"}"));
                return;
            }
            String token = "token-" + logins.incrementAndGet();
            validToken = token;
            respond(exchange, new Answer(200, "{\"token\":\"" + token + "\"}"));
        });
        server.createContext("/v3/forecast", exchange -> {
            forecastCalls.incrementAndGet();
            if (!("Bearer " + validToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    || !exchange.getRequestURI().getQuery().equals("region=CAISO_NORTH&signal_type=co2_moer")) {
                respond(exchange, new Answer(401, "{\"error\":\"invalid token\"}"));
                return;
            }
            respond(exchange, answers.getOrDefault("/v3/forecast", new Answer(404, "{\"error\":\"not found\"}")));
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void respond(HttpExchange exchange, Answer a) throws IOException {
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
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

    /** WattTime's documented forecast shape: 5-minute points from the current period on, MOER in lbs/MWh. */
    private static String wattTimeForecast(String units, String points) {
        return "{\"data\":[" + points + "],\"meta\":{\"data_point_period_seconds\":300,\"region\":\"CAISO_NORTH\","
                + "\"signal_type\":\"co2_moer\",\"units\":\"" + units + "\",\"generated_at_period_seconds\":300,"
                + "\"generated_at\":\"2026-11-26T10:07:31.123456+00:00\",\"model\":{\"date\":\"2026-03-01\"}}}";
    }

    private static final String WATTTIME_POINTS = "{\"point_time\":\"2026-11-26T10:10:00+00:00\",\"value\":1000.0,\"version\":\"2026-03-01\"},"
            + "{\"point_time\":\"2026-11-26T10:15:00+00:00\",\"value\":900.0,\"version\":\"2026-03-01\"},"
            + "{\"point_time\":\"2026-11-26T10:20:00+00:00\",\"value\":800.0,\"version\":\"2026-03-01\"}";

    private WattTimeApi wattTime(String password, Clock clock) {
        return new WattTimeApi(new WattTimeApi.Config(base, "watt", password, "CAISO_NORTH"), http, Duration.ofSeconds(5), clock);
    }

    @Test
    void wattTimeConvertsMarginalPoundsPerMwhToGramsPerKwh() throws Exception {
        WattTimeApi source = wattTime("hunter2", Clock.systemUTC());
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("lbs_co2_per_mwh", WATTTIME_POINTS)));
        IntensitySignal s = source.current("CAISO_NORTH", NOW.plusSeconds(90));
        assertEquals(453.59237, s.gramsPerKwh(), 1e-9, "1000 lbs/MWh");
        assertEquals(Instant.parse("2026-11-26T10:10:00Z"), s.validFrom(), "the period now falls in, not a later one");
        assertTrue(s.source().contains("marginal"), s.source());
        assertFalse(s.stale());

        List<IntensitySignal> ahead = source.forecast("CAISO_NORTH", NOW, Duration.ofMinutes(10));
        assertEquals(List.of(Instant.parse("2026-11-26T10:15:00Z"), Instant.parse("2026-11-26T10:20:00Z")),
                ahead.stream().map(IntensitySignal::validFrom).toList(), "points after now, within the horizon");
        assertEquals(900 * 0.45359237, ahead.get(0).gramsPerKwh(), 1e-9);
        assertTrue(ahead.stream().allMatch(p -> p.source().contains("issued 2026-11-26T10:07:31.123456Z")), ahead.toString());
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.forecast("CAISO_NORTH", Instant.parse("2026-11-26T10:05:00Z"),
                Duration.ofHours(1))).getMessage().contains("issued at 2026-11-26T10:07:31.123456Z"), "never a forecast issued after now");
        assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", Instant.parse("2026-11-26T10:25:00Z")),
                "the forecast's last period is over");
        assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", Instant.parse("2026-11-26T10:09:59Z")),
                "before the forecast starts");
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("ERCOT_EASTTX", NOW)).getMessage().contains("CAISO_NORTH"));

        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("g_co2_per_kwh", WATTTIME_POINTS)));
        assertEquals(1000, source.current("CAISO_NORTH", NOW).gramsPerKwh(), "already g/kWh");
    }

    @Test
    void wattTimeReusesItsTokenUntilItAgesOrIsRefused() throws Exception {
        AtomicReference<Instant> wall = new AtomicReference<>(Instant.parse("2026-11-26T10:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return wall.get();
            }
        };
        WattTimeApi source = wattTime("hunter2", clock);
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("lbs_co2_per_mwh", WATTTIME_POINTS)));
        source.current("CAISO_NORTH", NOW);
        wall.set(wall.get().plus(Duration.ofMinutes(24)));
        source.current("CAISO_NORTH", NOW);
        source.forecast("CAISO_NORTH", NOW, Duration.ofHours(1));
        assertEquals(1, logins.get(), "one login for calls within 25 minutes");

        wall.set(wall.get().plus(Duration.ofMinutes(2)));
        source.current("CAISO_NORTH", NOW);
        assertEquals(2, logins.get(), "a token 26 minutes old is not used");

        validToken = "revoked on WattTime's side";
        int calls = forecastCalls.get();
        assertEquals(453.59237, source.current("CAISO_NORTH", NOW).gramsPerKwh(), 1e-9, "a 401 gets a fresh login and a retry");
        assertEquals(3, logins.get());
        assertEquals(calls + 2, forecastCalls.get());

        answers.put("/v3/forecast", new Answer(401, "{\"error\":\"still no\"}"));
        calls = forecastCalls.get();
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("HTTP 401"));
        assertEquals(calls + 2, forecastCalls.get(), "one retry, not a loop");
        assertEquals(4, logins.get());
    }

    @Test
    void wattTimeFailuresAreNamed() throws Exception {
        SignalUnavailableException refused = assertThrows(SignalUnavailableException.class,
                () -> wattTime("wrong", Clock.systemUTC()).current("CAISO_NORTH", NOW));
        assertTrue(refused.getMessage().contains("login as watt") && refused.getMessage().contains("HTTP 401"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong"), "never the password");
        assertFalse(new WattTimeApi.Config(base, "watt", "hunter2", "CAISO_NORTH").toString().contains("hunter2"));
        assertEquals(0, forecastCalls.get(), "no data call without a token");

        WattTimeApi source = wattTime("hunter2", Clock.systemUTC());
        answers.put("/v3/forecast", new Answer(200, "<html>maintenance</html>"));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("not JSON"));
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("lbs_co2_per_mwh", "")));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("no forecast points"));
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("percentile", WATTTIME_POINTS)));
        SignalUnavailableException units = assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW));
        assertTrue(units.getMessage().contains("unknown units \"percentile\""), units.getMessage());
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("lbs_co2_per_mwh", "{\"point_time\":\"soon\",\"value\":1}")));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("point_time"));
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("lbs_co2_per_mwh", "{\"point_time\":\"2026-11-26T10:10:00+00:00\",\"value\":null}")));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("value"));
        answers.put("/v3/forecast", new Answer(500, "{\"error\":\"boom\"}"));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("HTTP 500"));
        answers.put("/v3/forecast", new Answer(503, ""));
        assertTrue(assertThrows(SignalUnavailableException.class, () -> source.current("CAISO_NORTH", NOW)).getMessage().contains("HTTP 503"));
        assertEquals(1, logins.get(), "errors other than 401 keep the token");
    }

    @Test
    void aDeadWattTimeFallsBackFlaggedStale() throws Exception {
        FallbackIntensity source = new FallbackIntensity(wattTime("hunter2", Clock.systemUTC()),
                new StaticIntensity(Map.of("CAISO_NORTH", 250.0), "declared"));
        answers.put("/v3/forecast", new Answer(503, "upstream timeout"));
        IntensitySignal declared = source.current("CAISO_NORTH", NOW);
        assertTrue(declared.stale());
        assertEquals(250, declared.gramsPerKwh(), "no live figure yet: the declared one");
        answers.put("/v3/forecast", new Answer(200, wattTimeForecast("lbs_co2_per_mwh", WATTTIME_POINTS)));
        assertFalse(source.current("CAISO_NORTH", NOW).stale());
        server.stop(0);
        IntensitySignal old = source.current("CAISO_NORTH", NOW);
        assertTrue(old.stale());
        assertEquals(453.59237, old.gramsPerKwh(), 1e-9, "the last good figure");
    }
}
