package io.un0.gateway.energy;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.energy.EnergyConfig;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.gateway.GatewayInstance;
import io.un0.kafka.KafkaConfig;
import io.un0.proto.mesh.v1.ProcessRole;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** This gateway process meters itself and says what it drew, so that the mesh's accounting covers it too. */
@Singleton
public class GatewayEnergy {

    private static final System.Logger LOG = System.getLogger(GatewayEnergy.class.getName());

    private final EnergyConfig config;
    private final KafkaConfig kafka;
    private final GatewayInstance instance;
    private ProcessEnergyReporter reporter;

    GatewayEnergy(EnergyConfig config, KafkaConfig kafka, GatewayInstance instance) {
        this.config = config;
        this.kafka = kafka;
        this.instance = instance;
    }

    void start(@Observes StartupEvent e) {
        reporter = ProcessEnergyReporter.forService(config, kafka.access(), ProcessRole.PROCESS_ROLE_GATEWAY, instance.id());
        LOG.log(System.Logger.Level.INFO, reporter.describe());
    }

    void stop(@Observes ShutdownEvent e) {
        if (reporter != null) {
            reporter.close();
        }
    }
}
