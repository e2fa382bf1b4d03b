package io.un0.deploy.report;

import com.google.protobuf.util.JsonFormat;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.v1.EnergyBySource;
import io.un0.proto.v1.GridSignalBasis;
import io.un0.proto.v1.IntensityUse;
import io.un0.proto.v1.PoolShare;
import io.un0.proto.v1.ReportStep;
import io.un0.proto.v1.SustainabilityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sustainability report as the files a person files: the report itself as JSON (protobuf's JSON mapping, every
 * field), its figures as CSV (one quantity a row, with its unit and how it was obtained; and the time series), and a
 * one-page HTML with charts ({@link ReportPage}) that prints on A4.
 */
public final class ReportFiles {

    private ReportFiles() {
    }

    /** Writes {@code <name>.json}, {@code <name>.csv}, {@code <name>-steps.csv} and {@code <name>.html}; returns them. */
    public static List<Path> write(SustainabilityReport report, Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        List<Path> written = List.of(folder.resolve(name + ".json"), folder.resolve(name + ".csv"), folder.resolve(name + "-steps.csv"),
                folder.resolve(name + ".html"));
        Files.writeString(written.get(0), JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(report) + "\n");
        Files.writeString(written.get(1), quantities(report));
        Files.writeString(written.get(2), steps(report));
        Files.writeString(written.get(3), ReportPage.html(report));
        return written;
    }

    /** The headline figures, for a terminal. */
    public static String describe(SustainabilityReport r) {
        return String.format(Locale.ROOT, "%d images, %s gCO2e/image (E x I %s g + M %s g over the period), %s J/image; "
                        + "%s gCO2e saved against carbon-blind routing (modelled)%s", r.getImages(), number(r.getSciGramsCo2EPerImage()),
                number(r.getOperationalGramsCo2E()), number(r.getEmbodied().getGramsCo2E()), number(r.getJoulesPerImage()),
                number(r.getCarbonBlind().getSavedGramsCo2E()), r.getComplete() ? "" : "; INCOMPLETE: records kept only from "
                        + ProtoTime.instant(r.getRecordsFrom()));
    }

    /** One quantity a row: what, how much, in what unit, and how it was obtained. */
    static String quantities(SustainabilityReport r) {
        List<String[]> rows = new ArrayList<>();
        String modelledBlind = "modelled: the scheduler's SCI price of each route when it decided";
        rows.add(new String[] {"tenant", r.getRequest().getTenant().isEmpty() ? "(every tenant)" : r.getRequest().getTenant(), "", ""});
        rows.add(new String[] {"from", ProtoTime.instant(r.getRequest().getFrom()).toString(), "", ""});
        rows.add(new String[] {"to", ProtoTime.instant(r.getRequest().getTo()).toString(), "", ""});
        rows.add(new String[] {"functional unit (R)", r.getFunctionalUnit(), "", ""});
        rows.add(new String[] {"images (R)", Long.toString(r.getImages()), "image", "counted from the accounting records"});
        rows.add(new String[] {"jobs succeeded", Long.toString(r.getJobsSucceeded()), "job", ""});
        rows.add(new String[] {"jobs failed", Long.toString(r.getJobsFailed()), "job", ""});
        rows.add(new String[] {"energy (E)", number(r.getEnergy().getJoules()), "J", "engine runs and the mesh's shared share"});
        for (EnergyBySource s : r.getEnergy().getEngineBySourceList()) {
            rows.add(new String[] {"energy, engine runs, " + ProtoVocabulary.label(s.getSource()), number(s.getJoules()), "J", String.join("; ", s.getModelsList())});
        }
        rows.add(new String[] {"energy, shared (gateway, scheduler, broker, workers between runs)", number(r.getEnergy().getSharedJoules()), "J",
                "each process as metered: " + String.join("; ", r.getBoundary().getProcessesList())});
        rows.add(new String[] {"images without a shared share", Long.toString(r.getEnergy().getImagesWithoutShared()), "image", ""});
        rows.add(new String[] {"grid intensity (I), as applied", number(r.getIntensity().getMeanGPerKwh()), "gCO2e/kWh", "operational gCO2e per kWh of E"});
        for (IntensityUse u : r.getIntensity().getUsesList()) {
            rows.add(new String[] {"grid signal " + u.getRegion() + ", " + basis(u), number(u.getGramsCo2E()), "gCO2e",
                    u.getSource() + " (" + number(u.getJoules()) + " J, " + number(u.getStaleJoules()) + " J at a stale figure)"});
        }
        rows.add(new String[] {"operational emissions (E x I)", number(r.getOperationalGramsCo2E()), "gCO2e", ""});
        rows.add(new String[] {"embodied emissions (M)", number(r.getEmbodied().getGramsCo2E()), "gCO2e",
                "declared per device class, for the engine-seconds each job held its worker"});
        rows.add(new String[] {"total emissions", number(r.getTotalGramsCo2E()), "gCO2e", "E x I + M"});
        rows.add(new String[] {"SCI per image", number(r.getSciGramsCo2EPerImage()), "gCO2e/image", "(E x I + M) / R"});
        rows.add(new String[] {"energy per image", number(r.getJoulesPerImage()), "J/image", ""});
        rows.add(new String[] {"carbon-blind routing of the same jobs", number(r.getCarbonBlind().getCarbonBlindGramsCo2E()), "gCO2e", modelledBlind});
        rows.add(new String[] {"routes taken", number(r.getCarbonBlind().getChosenGramsCo2E()), "gCO2e", modelledBlind});
        rows.add(new String[] {"saved against carbon-blind routing", number(r.getCarbonBlind().getSavedGramsCo2E()), "gCO2e", modelledBlind});
        rows.add(new String[] {"saved by deferral", number(r.getCarbonBlind().getSavedByDeferralGramsCo2E()), "gCO2e", modelledBlind});
        rows.add(new String[] {"jobs deferred", Long.toString(r.getCarbonBlind().getJobsDeferred()), "job", ""});
        rows.add(new String[] {"jobs moved to another pool", Long.toString(r.getCarbonBlind().getJobsMoved()), "job", ""});
        rows.add(new String[] {"jobs at fewer steps", Long.toString(r.getCarbonBlind().getJobsFewerSteps()), "job", ""});
        rows.add(new String[] {"jobs at another precision", Long.toString(r.getCarbonBlind().getJobsOtherPrecision()), "job", ""});
        rows.add(new String[] {"jobs not compared", Long.toString(r.getCarbonBlind().getJobsNotCompared()), "job", "no priced decision"});
        for (PoolShare p : r.getPoolsList()) {
            rows.add(new String[] {"pool " + p.getPool() + " (" + ProtoVocabulary.label(p.getDeviceClass()) + ", " + p.getRegion() + ")",
                    number(p.getGramsCo2E()), "gCO2e", p.getImages() + " images, " + number(p.getJoules()) + " J"});
        }
        rows.add(new String[] {"records complete", Boolean.toString(r.getComplete()), "",
                r.hasRecordsFrom() ? "accounting kept only from " + ProtoTime.instant(r.getRecordsFrom()) : ""});
        StringBuilder csv = new StringBuilder("quantity,value,unit,basis\n");
        rows.forEach(row -> csv.append(csvRow(row)));
        return csv.toString();
    }

    static String steps(SustainabilityReport r) {
        StringBuilder csv = new StringBuilder("start,images,joules,grams_co2e,grams_co2e_per_image,mean_g_per_kwh\n");
        for (ReportStep s : r.getStepsList()) {
            csv.append(csvRow(new String[] {ProtoTime.instant(s.getStart()).toString(), Long.toString(s.getImages()), number(s.getJoules()),
                    number(s.getGramsCo2E()), s.getImages() == 0 ? "" : number(s.getGramsCo2E() / s.getImages()), number(s.getMeanGPerKwh())}));
        }
        return csv.toString();
    }

    /** Average or marginal; the mesh's own processes each at their own region's signal, whatever its basis. */
    static String basis(IntensityUse u) {
        return u.getBasis() == GridSignalBasis.GRID_SIGNAL_BASIS_UNSPECIFIED ? "each process's own signal" : ProtoVocabulary.label(u.getBasis());
    }

    /** Enough digits for a milligram per image; NaN as an empty cell. */
    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "";
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    private static String csvRow(String[] fields) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            row.append(i == 0 ? "" : ",").append(f.matches("(?s).*[\",\r\n].*") ? '"' + f.replace("\"", "\"\"") + '"' : f);
        }
        return row.append("\r\n").toString();
    }
}
