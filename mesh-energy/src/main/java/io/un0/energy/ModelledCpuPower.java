package io.un0.energy;

import io.un0.proto.v1.EnergySource;
import io.un0.vocabulary.CpuEnergyModel;

/** No meter to read: the process's CPU-seconds times declared watts per busy core. Marked MODELLED. */
public final class ModelledCpuPower implements PowerMeter {

    private final CpuEnergyModel model;
    private final ProcessCpuClock cpu = ProcessCpuClock.best();

    public ModelledCpuPower(CpuEnergyModel model) {
        this.model = model;
    }

    @Override
    public Sample sample() {
        return new Sample(System.nanoTime(), cpu.seconds(), Double.NaN, Double.NaN);
    }

    @Override
    public double joules(Sample from, Sample to) {
        return model.joules(to.cpuSeconds() - from.cpuSeconds());
    }

    @Override
    public EnergySource source() {
        return EnergySource.ENERGY_SOURCE_MODELLED;
    }

    @Override
    public String describe() {
        return model.describe() + (cpu.precise() ? "" : "; process CPU time in the kernel's clock ticks, so a short run may read 0");
    }
}
