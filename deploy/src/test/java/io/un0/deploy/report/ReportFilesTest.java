package io.un0.deploy.report;

import com.google.protobuf.util.JsonFormat;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.CarbonBlindComparison;
import io.un0.proto.v1.EnergyBySource;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.GridSignalBasis;
import io.un0.proto.v1.IntensityUse;
import io.un0.proto.v1.ReportStep;
import io.un0.proto.v1.SciEmbodied;
import io.un0.proto.v1.SciEnergy;
import io.un0.proto.v1.SciIntensity;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportFilesTest {

    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");

    private static SustainabilityReport report() {
        return SustainabilityReport.newBuilder()
                .setRequest(SustainabilityReportRequest.newBuilder().setTenant("tenant-a").setFrom(ProtoTime.timestamp(FROM))
                        .setTo(ProtoTime.timestamp(FROM.plus(Duration.ofHours(2)))).setStep(ProtoTime.duration(Duration.ofHours(1))))
                .setGenerated(ProtoTime.timestamp(FROM.plus(Duration.ofHours(3)))).setFunctionalUnit("image").setImages(40).setJobsSucceeded(10)
                .setEnergy(SciEnergy.newBuilder().setJoules(50).setEngineJoules(40).setSharedJoules(10)
                        .addEngineBySource(EnergyBySource.newBuilder().setSource(EnergySource.ENERGY_SOURCE_MODELLED).addModels("3 W per busy core, \"declared\"").setJoules(40)))
                .setIntensity(SciIntensity.newBuilder().setMeanGPerKwh(200).addUses(IntensityUse.newBuilder().setRegion("ES").setSource("<static>")
                        .setBasis(GridSignalBasis.GRID_SIGNAL_BASIS_AVERAGE).setJoules(40).setGramsCo2E(0.0022)))
                .setEmbodied(SciEmbodied.newBuilder().setGramsCo2E(0.0004)).setOperationalGramsCo2E(0.0028).setTotalGramsCo2E(0.0032)
                .setSciGramsCo2EPerImage(0.00008).setJoulesPerImage(1.25)
                .setCarbonBlind(CarbonBlindComparison.newBuilder().setJobs(10).setChosenGramsCo2E(0.003).setCarbonBlindGramsCo2E(0.006).setSavedGramsCo2E(0.003))
                .addSteps(ReportStep.newBuilder().setStart(ProtoTime.timestamp(FROM)).setImages(40).setJoules(50).setGramsCo2E(0.0032).setMeanGPerKwh(200))
                .addSteps(ReportStep.newBuilder().setStart(ProtoTime.timestamp(FROM.plus(Duration.ofHours(1)))).setMeanGPerKwh(Double.NaN))
                .setComplete(true).build();
    }

    @Test
    void theJsonIsTheReportItself(@TempDir Path folder) throws Exception {
        List<Path> files = ReportFiles.write(report(), folder, "sci");
        assertEquals(List.of("sci.json", "sci.csv", "sci-steps.csv", "sci.html"), files.stream().map(f -> f.getFileName().toString()).toList());
        SustainabilityReport.Builder read = SustainabilityReport.newBuilder();
        JsonFormat.parser().merge(Files.readString(files.get(0)), read);
        assertEquals(report(), read.build());
    }

    @Test
    void theCsvHasAQuantityARowWithItsUnitAndBasisQuotedWhereItMustBe() {
        String csv = ReportFiles.quantities(report());
        assertTrue(csv.startsWith("quantity,value,unit,basis\n"), csv);
        assertTrue(csv.contains("SCI per image,8.00000e-05,gCO2e/image,(E x I + M) / R\r\n"), csv);
        assertTrue(csv.contains("\"3 W per busy core, \"\"declared\"\"\""), "RFC 4180 quoting: " + csv);
        String steps = ReportFiles.steps(report());
        assertEquals(3, steps.split("\r?\n").length);
        assertTrue(steps.contains("2026-12-01T01:00:00Z,0,0.00000,0.00000,,\r\n"), "no images: no per-image figure, no intensity: " + steps);
    }

    @Test
    void thePageShowsTheFiguresAndChartsWithEveryTextEscaped() {
        String html = ReportPage.html(report());
        assertTrue(html.contains("Sustainability report: tenant tenant-a"), html);
        assertTrue(html.contains("80.0 µgCO2e"), "the SCI per image, in a unit a person reads");
        assertTrue(html.contains("&lt;static&gt;"), "a source's text is escaped");
        assertFalse(html.contains("<static>"));
        assertTrue(html.contains("<svg"), "charts");
        assertTrue(html.contains("ISO/IEC 21031:2024"));
        assertFalse(html.contains("Incomplete"), "complete records");
        assertTrue(ReportPage.html(report().toBuilder().setComplete(false).setRecordsFrom(ProtoTime.timestamp(FROM.plusSeconds(600))).build())
                .contains("Incomplete: the accounting records are kept only from 2026-12-01 00:10 UTC"));
    }
}
