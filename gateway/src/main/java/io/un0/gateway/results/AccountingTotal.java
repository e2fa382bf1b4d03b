package io.un0.gateway.results;

import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The energy and carbon of several jobs added up, the workers' and the whole boundary's; not thread-safe (its owner locks). */
public final class AccountingTotal {

    /** Joules with their source, and grams. */
    private static final class Sum {
        private double joules;
        private EnergySource source = EnergySource.ENERGY_SOURCE_UNSPECIFIED;
        private String model = "";
        private double grams;

        void add(Energy energy, double gramsCo2e) {
            joules += energy.getJoules();
            // A sum of measured and modelled figures is as good as its weakest part: modelled.
            if (source == EnergySource.ENERGY_SOURCE_UNSPECIFIED) {
                source = energy.getSource();
                model = energy.getModel();
            } else if (source != energy.getSource()) {
                source = EnergySource.ENERGY_SOURCE_MODELLED;
                model = "mixed: " + model + " / " + energy.getModel();
            }
            grams += gramsCo2e;
        }

        boolean empty() {
            return source == EnergySource.ENERGY_SOURCE_UNSPECIFIED;
        }

        Energy energy() {
            return Energy.newBuilder().setJoules(joules).setSource(source).setModel(model).build();
        }
    }

    private final Sum workers = new Sum();
    /** Over the jobs that carried the whole boundary's figures. */
    private final Sum boundary = new Sum();
    private final Set<String> processes = new TreeSet<>();

    public void add(Accounting a) {
        workers.add(a.getEnergy(), a.getCarbon().getGramsCo2E());
        if (a.hasBoundary()) {
            boundary.add(a.getBoundary().getEnergy(), a.getBoundary().getGramsCo2E());
            processes.addAll(a.getBoundary().getProcessesList());
        }
    }

    public double joules() {
        return workers.joules;
    }

    public double gramsCo2e() {
        return workers.grams;
    }

    public Energy energy() {
        return workers.energy();
    }

    public Carbon carbon() {
        return Carbon.newBuilder().setGramsCo2E(workers.grams).build();
    }

    /** Empty until a job carried its whole boundary's figures. */
    public Optional<Boundary> boundary() {
        return boundary.empty() ? Optional.empty()
                : Optional.of(Boundary.newBuilder().setEnergy(boundary.energy()).setGramsCo2E(boundary.grams).addAllProcesses(processes).build());
    }
}
