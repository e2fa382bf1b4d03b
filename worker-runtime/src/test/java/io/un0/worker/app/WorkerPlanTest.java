package io.un0.worker.app;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import io.un0.vocabulary.CpuEnergyModel;
import io.un0.kafka.KafkaAccess;
import io.un0.vocabulary.Precision;
import io.un0.worker.WorkerSettings;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPlanTest {

    private static final Map<String, String> REQUIRED = Map.of("un0.worker.pool", "edge-cpu", "un0.worker.site", "site-a",
            "un0.worker.region", "ES", "un0.worker.grid-intensity-g-per-kwh", "120");

    private static final KafkaAccess KAFKA = KafkaAccess.plain("kafka:9092");

    @Test
    void defaultsGiveTheDocumentedSettings() {
        WorkerPlan plan = WorkerPlan.of(config(REQUIRED), KAFKA);
        WorkerSettings s = plan.settings();
        assertEquals("edge-cpu", s.pool());
        assertEquals("site-a", s.site());
        assertEquals("ES", s.region());
        assertEquals(KAFKA, s.kafka());
        assertEquals(32, s.maxBatchImages());
        assertEquals(Duration.ofMillis(2), s.maxWait());
        assertEquals(Duration.ofMillis(500), s.heartbeatEvery());
        assertEquals(512, s.capacityImages());
        assertEquals(List.of(Precision.FP32, Precision.INT8), plan.precisions());
        assertEquals(1, plan.intraOpThreads());
        assertEquals(CpuEnergyModel.declared(CpuEnergyModel.DEFAULT_WATTS_PER_CORE), plan.energyModel());
        assertTrue(s.worker().endsWith("-" + ProcessHandle.current().pid()), s.worker());
    }

    @Test
    void everyKeyIsRead() {
        Map<String, String> p = new HashMap<>(REQUIRED);
        p.putAll(Map.of("un0.worker.id", "w7", "un0.worker.precisions", "int8", "un0.worker.max-batch-images", "8",
                "un0.worker.max-wait", "20ms", "un0.worker.heartbeat-every", "2s", "un0.worker.intra-op-threads", "2",
                "un0.worker.watts-per-busy-core", "6.5"));
        WorkerPlan plan = WorkerPlan.of(config(p), KAFKA);
        assertEquals(new WorkerSettings("w7", "edge-cpu", "site-a", "ES", KAFKA, 8, Duration.ofMillis(20), Duration.ofSeconds(2), 512),
                plan.settings());
        assertEquals(List.of(Precision.INT8), plan.precisions());
        assertEquals(2, plan.intraOpThreads());
        assertEquals(6.5, plan.energyModel().wattsPerBusyCore());
        assertTrue(plan.energyModel().describe().contains("un0.worker.watts-per-busy-core"), plan.energyModel().describe());
    }

    @Test
    void valuesOutOfRangeAreNamedByTheirKeys() {
        Map<String, String> p = new HashMap<>(REQUIRED);
        p.putAll(Map.of("un0.worker.max-batch-images", "0", "un0.worker.heartbeat-every", "0s", "un0.worker.grid-intensity-g-per-kwh", "-1"));
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> config(p));
        Set<String> named = IntStream.range(0, e.getProblemCount()).mapToObj(i -> e.getProblem(i).getMessage().split(" ")[0]).collect(Collectors.toSet());
        assertEquals(Set.of("un0.worker.max-batch-images", "un0.worker.heartbeat-every", "un0.worker.grid-intensity-g-per-kwh"), named, e.getMessage());
    }

    @Test
    void valuesThatDoNotFitTogetherAreNamed() {
        Map<String, String> p = new HashMap<>(REQUIRED);
        p.putAll(Map.of("un0.worker.max-batch-images", "64", "un0.worker.capacity-images", "32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerPlan.of(config(p), KAFKA));
        assertEquals("un0.worker.capacity-images must be at least max-batch-images (64), got 32", e.getMessage());
    }

    /** The mapping as Quarkus builds it: its converter for durations such as {@code 5ms}, and its constraints validated. */
    private static WorkerConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(WorkerConfig.class).withConverter(Duration.class, 200, new DurationConverter())
                .withValidator((BeanValidationConfigValidator) VALIDATOR::getValidator)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build().getConfigMapping(WorkerConfig.class);
    }

    private static final ValidatorFactory VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
}
