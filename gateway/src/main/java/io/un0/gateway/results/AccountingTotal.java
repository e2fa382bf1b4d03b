package io.un0.gateway.results;

import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;

/** The energy and carbon of several jobs added up; not thread-safe (its owner locks). */
public final class AccountingTotal {

    private double joules;
    private EnergySource energySource = EnergySource.ENERGY_SOURCE_UNSPECIFIED;
    private String energyModel = "";
    private double gramsCo2e;

    public void add(Accounting a) {
        joules += a.getEnergy().getJoules();
        // A sum of measured and modelled figures is as good as its weakest part: modelled.
        if (energySource == EnergySource.ENERGY_SOURCE_UNSPECIFIED) {
            energySource = a.getEnergy().getSource();
            energyModel = a.getEnergy().getModel();
        } else if (energySource != a.getEnergy().getSource()) {
            energySource = EnergySource.ENERGY_SOURCE_MODELLED;
            energyModel = "mixed: " + energyModel + " / " + a.getEnergy().getModel();
        }
        gramsCo2e += a.getCarbon().getGramsCo2E();
    }

    public double joules() {
        return joules;
    }

    public double gramsCo2e() {
        return gramsCo2e;
    }

    public Energy energy() {
        return Energy.newBuilder().setJoules(joules).setSource(energySource).setModel(energyModel).build();
    }

    public Carbon carbon() {
        return Carbon.newBuilder().setGramsCo2E(gramsCo2e).build();
    }
}
