package io.un0.scheduler.loop;

import io.un0.kafka.KafkaAccess;
import io.un0.scheduler.mapping.DeclaredHardware;
import io.un0.vocabulary.DeviceClass;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

/**
 * What the scheduler loop needs to run, free of any framework.
 *
 * @param kafka      the broker, and who the scheduler is to it
 * @param instance   this instance's name: prefix of its Kafka client ids, and the service its dead letters name
 * @param policy     the routing policy's name, as decisions and spans record it
 * @param liveness   a worker not heard from for this long drops out of the fleet
 * @param retryEvery how often held jobs are offered to the policy again, and deferred ones checked for their hour
 * @param maxHold    how long a job without a deadline waits for a pool before it is shed
 * @param hardware   what is declared per device class, for what heartbeats do not measure; every class
 * @param gridMaxAge a grid signal not refreshed for this long counts as stale
 * @param energyWindow over how long the mesh's own energy is shared out among the images served in it
 * @param unknownGramsPerKwh the grid intensity of a region without a signal, for a process that draws from it
 */
public record SchedulerSettings(KafkaAccess kafka, String instance, String policy, Duration liveness,
                                Duration retryEvery, Duration maxHold, Map<DeviceClass, DeclaredHardware> hardware,
                                Duration gridMaxAge, Duration energyWindow, double unknownGramsPerKwh) {

    public SchedulerSettings {
        for (Duration d : new Duration[] {liveness, retryEvery, maxHold, gridMaxAge, energyWindow}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("liveness, retry interval, max hold, grid signal max age and energy window must be positive: "
                        + liveness + ", " + retryEvery + ", " + maxHold + ", " + gridMaxAge + ", " + energyWindow);
            }
        }
        if (!(unknownGramsPerKwh >= 0)) {
            throw new IllegalArgumentException("the grid intensity of an unknown region must be a figure >= 0: " + unknownGramsPerKwh);
        }
        hardware = Map.copyOf(hardware);
        if (!hardware.keySet().equals(EnumSet.allOf(DeviceClass.class))) {
            throw new IllegalArgumentException("declared hardware must cover every device class " + EnumSet.allOf(DeviceClass.class)
                    + ", got " + hardware.keySet());
        }
    }
}
