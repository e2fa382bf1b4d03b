package io.un0.worker;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.un0.energy.ModelledCpuPower;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.Precision;
import io.un0.vocabulary.CpuEnergyModel;
import java.util.Collection;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerMetersTest {

    @Test
    void aResultIsCountedByPoolDeviceSourceTenantAndRegion() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            WorkerMeters meters = new WorkerMeters(provider.get("test"), "edge-cpu", "edge-1",
                    new ModelledCpuPower(CpuEnergyModel.declared(CpuEnergyModel.DEFAULT_WATTS_PER_CORE)), () -> 3);
            Accounting a = Accounting.newBuilder().setWorker("edge-1").setDeviceClass(DeviceClass.DEVICE_CLASS_CPU).setPrecision(Precision.PRECISION_INT8)
                    .setEnergy(Energy.newBuilder().setJoules(2.5).setSource(EnergySource.ENERGY_SOURCE_MODELLED))
                    .setCarbon(Carbon.newBuilder().setGramsCo2E(0.25).setRegion("ES")).build();
            meters.result(Job.newBuilder().setTenant("tenant-a").setCount(4).build(), a);
            meters.result(Job.newBuilder().setTenant("tenant-a").setCount(4).build(), a);
            Collection<MetricData> metrics = reader.collectAllMetrics();

            assertEquals(5.0, sum(metrics, "hw.energy", Attributes.builder().put(WorkerMeters.POOL, "edge-cpu").put(WorkerMeters.WORKER, "edge-1")
                    .put(WorkerMeters.HW_ID, "edge-1").put(WorkerMeters.HW_TYPE, "cpu").put(WorkerMeters.ENERGY_SOURCE, "modelled").build()), 1e-12);
            assertEquals(0.5, sum(metrics, "un0.carbon", Attributes.builder().put(WorkerMeters.POOL, "edge-cpu").put(WorkerMeters.WORKER, "edge-1")
                    .put(WorkerMeters.TENANT, "tenant-a").put(WorkerMeters.GRID_REGION, "ES").build()), 1e-12);
            MetricData images = metrics.stream().filter(m -> m.getName().equals("un0.worker.images")).findFirst().orElseThrow();
            assertEquals(8, images.getLongSumData().getPoints().iterator().next().getValue());
            assertEquals("int8", images.getLongSumData().getPoints().iterator().next().getAttributes().get(WorkerMeters.PRECISION));
            MetricData power = metrics.stream().filter(m -> m.getName().equals("hw.power")).findFirst().orElseThrow();
            assertEquals("W", power.getUnit());
            assertTrue(power.getDoubleGaugeData().getPoints().iterator().next().getValue() >= 0);
            assertEquals(3, metrics.stream().filter(m -> m.getName().equals("un0.worker.queue.depth")).findFirst().orElseThrow()
                    .getLongGaugeData().getPoints().iterator().next().getValue());
        }
    }

    private static double sum(Collection<MetricData> metrics, String name, Attributes attributes) {
        return metrics.stream().filter(m -> m.getName().equals(name)).flatMap(m -> m.getDoubleSumData().getPoints().stream())
                .filter(p -> p.getAttributes().equals(attributes)).mapToDouble(p -> p.getValue()).sum();
    }
}
