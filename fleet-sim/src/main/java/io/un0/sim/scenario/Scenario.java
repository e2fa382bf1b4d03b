package io.un0.sim.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.un0.routing.Rate;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fleet and a workload, as a file anyone can edit and rerun: regions with their recorded grid traces, sites
 * with budgets (fixed, or driven by recorded solar output), pools with their declared speeds and energy, and the
 * traffic to serve. Every energy figure in a scenario is declared, i.e. modelled: the file says where it came from.
 *
 * @param notes     where the declared figures come from
 * @param intensity which recorded grid traces the regions replay
 */
public record Scenario(String name, String notes, Instant start, Instant end, Intensity intensity, List<Site> sites, List<Pool> pools,
                       Workload workload) {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            // Precisions as the files name them (fp32, int8): the vocabulary's toString.
            .configure(DeserializationFeature.READ_ENUMS_USING_TO_STRING, true);

    /** @throws IOException naming the file and what is wrong in it */
    public static Scenario read(Path file) throws IOException {
        Scenario s;
        try {
            s = JSON.readValue(file.toFile(), Scenario.class);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try {
            s.check();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * Where each region's grid trace comes from: a file named for it in {@code files}, else the Electricity Maps
     * yearly exports {@code <region>_<year>_hourly.csv} in {@code folder}, every year the scenario touches.
     *
     * @param basis  LCA or DIRECT, as {@link io.un0.carbon.ElectricityMapsExport.Basis}: which figure of an export
     * @param folder the exports' folder, under the trace folder
     * @param files  per region, a trace file under the trace folder: an export or a time and one figure per row, any step
     */
    public record Intensity(String basis, String folder, Map<String, String> files) {

        public Intensity {
            files = files == null ? Map.of() : Map.copyOf(files);
        }
    }

    /**
     * @param budgetWatts fixed cap; null for none
     * @param solar       a solar-powered site: its budget follows the recorded output; null for a grid site
     */
    public record Site(String name, String region, Double budgetWatts, Solar solar) {
    }

    /**
     * Budget = batteryWatts + panelWatts × the location's recorded output fraction.
     *
     * @param file the solar trace under the trace folder; null for {@link Traces#DEFAULT_SOLAR}
     */
    public record Solar(String location, double panelWatts, double batteryWatts, String file) {
    }

    /** @param rates per precision at full speed; joules include the idle share at full speed */
    public record Pool(String name, String site, DeviceClass device, int capacityImages, double idleWatts, double embodiedGramsPerHour,
                       Map<Precision, Rate> rates) {
    }

    /**
     * Load is a share of the fleet's int8 one-step throughput: a daily cosine between {@code 2 × meanLoad − peakLoad}
     * and {@code peakLoad}, peaking at {@code peakHourUtc}.
     *
     * @param deferrableShare  of all images, submitted as deferrable batch jobs
     * @param deferralHours    a deferrable job's deadline after its arrival
     * @param residencyShare   of interactive jobs, allowed only in their (uniformly drawn) home region
     */
    public record Workload(long seed, double meanLoad, double peakLoad, int peakHourUtc, double deferrableShare, int deferralHours,
                           double residencyShare, int interactiveImages, double interactiveDeadlineSeconds, int batchImages) {
    }

    void check() {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start " + start + " is not before end " + end);
        }
        Set<String> siteNames = new HashSet<>();
        for (Site site : sites) {
            if (!siteNames.add(site.name())) {
                throw new IllegalArgumentException("site " + site.name() + " appears twice");
            }
        }
        Set<String> poolNames = new HashSet<>();
        for (Pool p : pools) {
            if (!poolNames.add(p.name()) || !siteNames.contains(p.site())) {
                throw new IllegalArgumentException("pool " + p.name() + ": duplicate, or its site " + p.site() + " is not listed");
            }
            if (p.rates() == null || !p.rates().containsKey(Precision.INT8)) {
                throw new IllegalArgumentException("pool " + p.name() + ": needs an int8 rate (load is counted in int8 evaluations)");
            }
        }
        if (pools.size() > 64) {
            throw new IllegalArgumentException(pools.size() + " pools: the offline optimum handles up to 64");
        }
        Workload w = workload;
        if (!(w.meanLoad() > 0 && w.peakLoad() >= w.meanLoad() && 2 * w.meanLoad() - w.peakLoad() >= 0)) {
            throw new IllegalArgumentException("workload: need 0 < meanLoad ≤ peakLoad ≤ 2 × meanLoad");
        }
        if (w.deferrableShare() < 0 || w.deferrableShare() > 1 || w.residencyShare() < 0 || w.residencyShare() > 1) {
            throw new IllegalArgumentException("workload: shares must be within 0..1");
        }
    }

    public Site site(String name) {
        return sites.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    public String region(Pool pool) {
        return site(pool.site()).region();
    }

    public List<String> regions() {
        return sites.stream().map(Site::region).distinct().sorted().toList();
    }

    /** The fleet's full int8 one-step throughput, in images per second. */
    public double capacityImagesPerSecond() {
        return pools.stream().mapToDouble(p -> p.rates().get(Precision.INT8).evalsPerSecond()).sum();
    }
}
