package io.un0.deploy.report;

import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.v1.EmbodiedByDevice;
import io.un0.proto.v1.EnergyBySource;
import io.un0.proto.v1.GridSignalBasis;
import io.un0.proto.v1.IntensityUse;
import io.un0.proto.v1.PoolShare;
import io.un0.proto.v1.ReportStep;
import io.un0.proto.v1.SustainabilityReport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A sustainability report on one printable page: the SCI per image and its parts first, then charts over the period
 * (images, gCO2e per image, the grid intensity applied), what E, I and M are made of and where each came from, and
 * what routing saved against carbon-blind routing. Plain HTML and inline SVG: it opens anywhere and prints on A4.
 */
final class ReportPage {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int CHART_WIDTH = 330;
    private static final int CHART_HEIGHT = 110;

    private ReportPage() {
    }

    static String html(SustainabilityReport r) {
        String tenant = r.getRequest().getTenant().isEmpty() ? "every tenant" : "tenant " + r.getRequest().getTenant();
        StringBuilder h = new StringBuilder(16_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Un-0 sustainability report, ").append(escape(tenant))
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        h.append("<header><h1>Sustainability report: ").append(escape(tenant)).append("</h1><p>")
                .append(when(r.getRequest().getFrom())).append(" to ").append(when(r.getRequest().getTo()))
                .append(" · after the Software Carbon Intensity specification (ISO/IEC 21031:2024) · functional unit: one ")
                .append(escape(r.getFunctionalUnit())).append(" · generated ").append(when(r.getGenerated())).append("</p>");
        if (!r.getComplete()) {
            h.append("<p class=\"warn\">Incomplete: the accounting records are kept only from ").append(when(r.getRecordsFrom()))
                    .append("; jobs before then are missing.</p>");
        }
        h.append("</header>\n<section class=\"figures\">");
        figure(h, "SCI per image", grams(r.getSciGramsCo2EPerImage()), "(E × I + M) / R");
        figure(h, "images served (R)", Long.toString(r.getImages()), r.getJobsSucceeded() + " jobs; " + r.getJobsFailed() + " failed");
        figure(h, "energy (E)", joules(r.getEnergy().getJoules()), joules(r.getJoulesPerImage()) + " per image");
        figure(h, "emissions", grams(r.getTotalGramsCo2E()), "E × I " + grams(r.getOperationalGramsCo2E()) + " + M " + grams(r.getEmbodied().getGramsCo2E()));
        figure(h, "saved against carbon-blind routing", grams(r.getCarbonBlind().getSavedGramsCo2E()),
                percent(r.getCarbonBlind().getSavedGramsCo2E(), r.getCarbonBlind().getCarbonBlindGramsCo2E()) + " less, over "
                        + r.getCarbonBlind().getJobs() + " jobs (modelled)");
        h.append("</section>\n<section class=\"charts\">");
        List<ReportStep> steps = r.getStepsList();
        chart(h, "Images per step", steps, s -> s.getImages(), "#4a7bb7", Long.toString(steps.stream().mapToLong(ReportStep::getImages).max().orElse(0)));
        chart(h, "gCO2e per image", steps, s -> s.getImages() == 0 ? Double.NaN : s.getGramsCo2E() / s.getImages(), "#b7554a", null);
        chart(h, "Grid intensity applied, gCO2e/kWh", steps, ReportStep::getMeanGPerKwh, "#6b8e3a", null);
        composition(h, r);
        h.append("</section>\n<section class=\"terms\"><h2>E, I and M: what they are made of</h2><table>\n");
        h.append("<tr><th>term</th><th>figure</th><th>source and basis</th></tr>\n");
        for (EnergyBySource s : r.getEnergy().getEngineBySourceList()) {
            row(h, "E, engine runs, " + ProtoVocabulary.label(s.getSource()).replace('_', ' '), joules(s.getJoules()), String.join("; ", s.getModelsList()));
        }
        row(h, "E, shared: the mesh's own processes", joules(r.getEnergy().getSharedJoules()),
                "each process as metered: " + String.join(", ", r.getBoundary().getProcessesList()) + (r.getEnergy().getImagesWithoutShared() == 0 ? ""
                        : " (" + r.getEnergy().getImagesWithoutShared() + " images carried no shared share: the scheduler had no measure yet)"));
        for (IntensityUse u : r.getIntensity().getUsesList()) {
            row(h, "I, " + u.getRegion(), joules(u.getJoules()) + " → " + grams(u.getGramsCo2E()),
                    u.getSource() + (u.getBasis() == GridSignalBasis.GRID_SIGNAL_BASIS_UNSPECIFIED ? "" : " · " + ReportFiles.basis(u))
                            + (u.getStaleJoules() > 0 ? " · " + joules(u.getStaleJoules()) + " at a stale figure" : ""));
        }
        for (EmbodiedByDevice d : r.getEmbodied().getDevicesList()) {
            row(h, "M, " + ProtoVocabulary.label(d.getDeviceClass()) + " workers", grams(d.getGramsCo2E()),
                    String.format(Locale.ROOT, "declared %.3g gCO2e/s of hardware life × %.3g engine-seconds", d.getGramsCo2EPerSecond(), d.getSeconds()));
        }
        h.append("</table>\n<p class=\"small\"><b>Boundary</b>: ").append(escape(String.join(", ", r.getBoundary().getProcessesList())))
                .append(". <b>Left out</b>: ").append(escape(String.join("; ", r.getBoundary().getExcludedList()))).append(".</p></section>\n");
        h.append("<section class=\"pools\"><h2>Where the jobs ran, and what routing saved</h2><table>\n<tr><th>pool</th><th>images</th><th>energy</th><th>gCO2e</th></tr>\n");
        for (PoolShare p : r.getPoolsList()) {
            h.append("<tr><td>").append(escape(p.getPool() + " (" + ProtoVocabulary.label(p.getDeviceClass()) + ", " + p.getRegion() + ")"))
                    .append("</td><td>").append(p.getImages()).append("</td><td>").append(joules(p.getJoules())).append("</td><td>")
                    .append(grams(p.getGramsCo2E())).append("</td></tr>\n");
        }
        var c = r.getCarbonBlind();
        h.append("</table>\n<p class=\"small\">Against carbon-blind routing of the same jobs (the least-loaded pool, at once, at the steps asked for), both priced by the "
                + "scheduler's SCI model when it decided (modelled, not measured): ").append(grams(c.getCarbonBlindGramsCo2E())).append(" blind, ")
                .append(grams(c.getChosenGramsCo2E())).append(" as routed; ").append(c.getJobsDeferred()).append(" jobs deferred (saving ")
                .append(grams(c.getSavedByDeferralGramsCo2E())).append("), ").append(c.getJobsMoved()).append(" moved to another pool, ")
                .append(c.getJobsFewerSteps()).append(" run at fewer steps, ").append(c.getJobsOtherPrecision()).append(" at another precision; ").append(c.getJobsNotCompared()).append(" jobs had no priced decision.</p></section>\n");
        return h.append("</body></html>\n").toString();
    }

    private static void figure(StringBuilder h, String label, String value, String note) {
        h.append("<div class=\"figure\"><div class=\"label\">").append(escape(label)).append("</div><div class=\"value\">").append(escape(value))
                .append("</div><div class=\"note\">").append(escape(note)).append("</div></div>");
    }

    private static void row(StringBuilder h, String term, String figure, String basis) {
        h.append("<tr><td>").append(escape(term)).append("</td><td>").append(escape(figure)).append("</td><td>").append(escape(basis)).append("</td></tr>\n");
    }

    /** A bar per step, scaled to the largest; a step without a figure has no bar. */
    private static void chart(StringBuilder h, String title, List<ReportStep> steps, ToDoubleFunction<ReportStep> value, String colour, String top) {
        double max = steps.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(0);
        h.append("<figure><figcaption>").append(escape(title)).append("</figcaption><svg viewBox=\"0 0 ").append(CHART_WIDTH).append(' ')
                .append(CHART_HEIGHT + 14).append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">");
        double width = (double) CHART_WIDTH / Math.max(1, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            double v = value.applyAsDouble(steps.get(i));
            if (Double.isFinite(v) && max > 0) {
                double height = v / max * CHART_HEIGHT;
                h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
                        i * width + 0.5, CHART_HEIGHT - height, Math.max(0.5, width - 1), height, colour,
                        escape(when(steps.get(i).getStart())), ReportFiles.number(v)));
            }
        }
        h.append(String.format(Locale.ROOT, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT));
        if (!steps.isEmpty()) {
            h.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    CHART_HEIGHT + 12, escape(when(steps.get(0).getStart())), CHART_WIDTH, CHART_HEIGHT + 12,
                    escape(when(steps.get(steps.size() - 1).getStart()))));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"10\">max %s</text>", escape(top != null ? top : ReportFiles.number(max))));
        h.append("</svg></figure>");
    }

    /** The emissions as one bar in three parts: the engine runs' E × I, the shared part's E × I, and M. */
    private static void composition(StringBuilder h, SustainabilityReport r) {
        double engine = r.getIntensity().getUsesList().stream().filter(u -> u.getBasis() != GridSignalBasis.GRID_SIGNAL_BASIS_UNSPECIFIED)
                .mapToDouble(IntensityUse::getGramsCo2E).sum();
        double shared = r.getOperationalGramsCo2E() - engine;
        double embodied = r.getEmbodied().getGramsCo2E();
        double total = engine + shared + embodied;
        h.append("<figure><figcaption>What the emissions are made of</figcaption><svg viewBox=\"0 0 ").append(CHART_WIDTH).append(" 66\" role=\"img\" "
                + "aria-label=\"emissions by part\">");
        double x = 0;
        String[][] parts = {{"engine runs, E × I", "#b7554a"}, {"the mesh's own processes, E × I", "#d9a441"}, {"embodied, M", "#7a6bb7"}};
        double[] values = {engine, shared, embodied};
        for (int i = 0; i < parts.length; i++) {
            double w = total > 0 ? values[i] / total * CHART_WIDTH : 0;
            h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"24\" fill=\"%s\"><title>%s: %s</title></rect>",
                    x, w, parts[i][1], parts[i][0], grams(values[i])));
            h.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%d\" width=\"8\" height=\"8\" fill=\"%s\"/><text x=\"11\" y=\"%d\">%s: %s, %s</text>",
                    30 + 12 * i, parts[i][1], 38 + 12 * i, escape(parts[i][0]), grams(values[i]), percent(values[i], total)));
            x += w;
        }
        h.append("</svg></figure>");
    }

    private static String when(com.google.protobuf.Timestamp t) {
        Instant i = ProtoTime.instant(t);
        return WHEN.format(i);
    }

    private static String grams(double g) {
        if (!Double.isFinite(g)) {
            return "n/a";
        }
        double a = Math.abs(g);
        return a >= 1000 ? String.format(Locale.ROOT, "%.3g kgCO2e", g / 1000)
                : a >= 1 || a == 0 ? String.format(Locale.ROOT, "%.3g gCO2e", g)
                : a >= 1e-3 ? String.format(Locale.ROOT, "%.3g mgCO2e", g * 1e3) : String.format(Locale.ROOT, "%.3g µgCO2e", g * 1e6);
    }

    private static String joules(double j) {
        if (!Double.isFinite(j)) {
            return "n/a";
        }
        double a = Math.abs(j);
        return a >= 3.6e5 ? String.format(Locale.ROOT, "%.3g kWh", j / 3.6e6)
                : a >= 1e3 ? String.format(Locale.ROOT, "%.3g kJ", j / 1e3) : String.format(Locale.ROOT, "%.3g J", j);
    }

    private static String percent(double part, double whole) {
        if (!(whole > 0)) {
            return "n/a";
        }
        double p = 100 * part / whole;
        // Two figures below 10 %, so that a small saving does not read as none.
        return Math.abs(p) >= 10 ? String.format(Locale.ROOT, "%.0f %%", p) : String.format(Locale.ROOT, "%.2g %%", p);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = """
            @page { size: A4; margin: 12mm; }
            body { font: 10.5px/1.35 system-ui, sans-serif; color: #222; max-width: 190mm; margin: 0 auto; }
            h1 { font-size: 17px; margin: 0 0 2px; } h2 { font-size: 12px; margin: 10px 0 4px; }
            header p { margin: 0; color: #555; } .warn { color: #a22; font-weight: bold; }
            .figures { display: flex; gap: 6px; margin: 8px 0; }
            .figure { flex: 1; border: 1px solid #ccc; border-radius: 4px; padding: 4px 6px; }
            .label { color: #555; } .value { font-size: 15px; font-weight: bold; } .note { color: #666; font-size: 9px; }
            .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 12px; }
            figure { margin: 0; } figcaption { font-weight: bold; } svg { width: 100%; height: auto; } svg text { font-size: 8px; fill: #444; }
            table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top; }
            .small { font-size: 9.5px; color: #444; }
            """;
}
