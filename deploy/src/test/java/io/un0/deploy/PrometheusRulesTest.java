package io.un0.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped rules as Prometheus's own tool reads them: {@code promtool check rules} accepts them, and
 * {@code promtool test rules} shows each alert firing on the series that should fire it (a pool over its budget, a
 * stale grid signal, dead letters) and a recording rule giving the figure worked out by hand.
 */
class PrometheusRulesTest {

    private static final Path RULES = Path.of(System.getProperty("un0.home", "..")).toAbsolutePath().normalize().resolve("deploy/prometheus");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertEquals(0, promtool("check", "rules", "un0-rules.yml"));
    }

    @Test
    void theAlertsFireOnTheSeriesThatShouldFireThem() throws Exception {
        assertEquals(0, promtool("test", "rules", "un0-rules.test.yml"));
    }

    private static int promtool(String... args) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "skipped: no promtool at /usr/bin/promtool (scripts/setup.sh installs Debian's prometheus)");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool done");
        System.out.print(out);
        assertTrue(out.contains("SUCCESS"), out);
        return p.exitValue();
    }
}
