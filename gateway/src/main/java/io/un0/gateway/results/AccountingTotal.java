package io.un0.gateway.results;

import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The energy and carbon of several jobs added up; not thread-safe (its owner locks). */
public final class AccountingTotal {

    private double joules;
    private EnergySource energySource = EnergySource.ENERGY_SOURCE_UNSPECIFIED;
    private String energyModel = "";
    private double gramsCo2e;
    /** The same inside the whole boundary, over the jobs that carried one. */
    private final AccountingTotal boundary;
    private final Set<String> processes;

    public AccountingTotal() {
        this(new AccountingTotal(null, Set.of()), new TreeSet<>());
    }

    private AccountingTotal(AccountingTotal boundary, Set<String> processes) {
        this.boundary = boundary;
        this.processes = processes;
    }

    public void add(Accounting a) {
        add(a.getEnergy(), a.getCarbon().getGramsCo2E());
        if (a.hasBoundary()) {
            boundary.add(a.getBoundary().getEnergy(), a.getBoundary().getGramsCo2E());
            processes.addAll(a.getBoundary().getProcessesList());
        }
    }

    private void add(Energy energy, double grams) {
        joules += energy.getJoules();
        // A sum of measured and modelled figures is as good as its weakest part: modelled.
        if (energySource == EnergySource.ENERGY_SOURCE_UNSPECIFIED) {
            energySource = energy.getSource();
            energyModel = energy.getModel();
        } else if (energySource != energy.getSource()) {
            energySource = EnergySource.ENERGY_SOURCE_MODELLED;
            energyModel = "mixed: " + energyModel + " / " + energy.getModel();
        }
        gramsCo2e += grams;
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

    /** Empty until a job carried its whole boundary's figures. */
    public Optional<Boundary> boundary() {
        return boundary.energySource == EnergySource.ENERGY_SOURCE_UNSPECIFIED ? Optional.empty()
                : Optional.of(Boundary.newBuilder().setEnergy(boundary.energy()).setGramsCo2E(boundary.gramsCo2e).addAllProcesses(processes).build());
    }
}
