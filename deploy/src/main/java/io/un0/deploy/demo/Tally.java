package io.un0.deploy.demo;

import io.un0.proto.v1.Accounting;

import java.util.LinkedHashSet;
import java.util.Set;

/** Energy and carbon added up over images, keeping where each figure came from. */
final class Tally {

    private int images;
    private double joules;
    private double grams;
    /** The whole boundary's joules, over the images whose accounting carried them. */
    private double boundaryJoules;
    private int boundaryImages;
    private final Set<String> energySources = new LinkedHashSet<>();
    private final Set<String> carbonSources = new LinkedHashSet<>();
    private final Set<String> pools = new LinkedHashSet<>();

    /** @param images how many images the accounting covers */
    void add(Accounting a, int images) {
        this.images += images;
        joules += a.getEnergy().getJoules();
        grams += a.getCarbon().getGramsCo2E();
        if (a.hasBoundary()) {
            boundaryJoules += a.getBoundary().getEnergy().getJoules();
            boundaryImages += images;
        }
        energySources.add(a.getEnergy().getSource().name().replace("ENERGY_SOURCE_", "").toLowerCase() + " (" + a.getEnergy().getModel() + ")");
        carbonSources.add(a.getCarbon().getSignalSource() + ", " + a.getCarbon().getIntensityGPerKwh() + " g/kWh");
        pools.add(a.getPool() + " (" + a.getDeviceClass().name().replace("DEVICE_CLASS_", "") + ", " + a.getExecutionProvider() + ")");
    }

    int images() {
        return images;
    }

    double joulesPerImage() {
        return images == 0 ? Double.NaN : joules / images;
    }

    /** Inside the whole boundary (every process of the mesh); NaN before any answer carried it. */
    double boundaryJoulesPerImage() {
        return boundaryImages == 0 ? Double.NaN : boundaryJoules / boundaryImages;
    }

    double gramsPerImage() {
        return images == 0 ? Double.NaN : grams / images;
    }

    Set<String> energySources() {
        return energySources;
    }

    Set<String> carbonSources() {
        return carbonSources;
    }

    Set<String> pools() {
        return pools;
    }
}
