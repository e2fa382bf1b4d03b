package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.GridIntensity;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClearingPriceTest {

    private static final Instant T0 = Instant.parse("2022-06-01T12:00:00Z");
    private static final double UNKNOWN = 1000;

    /** 100 evals/s at 1 J/eval flat out, 1 W idle, no embodied share: an evaluation costs 1 J wherever it runs. */
    private static PoolView pool(String name, String region) {
        return new PoolView(name, "site-" + name, region, DeviceClass.GPU, Map.of(INT8, new Rate(100, 1)), 1, 64, 0, 0, 0, 1, 1,
                Double.POSITIVE_INFINITY, 0);
    }

    /** Spain now at {@code now} g/kWh, then one forecast hour each at the given intensities. */
    private static GridSignal spain(double now, double... ahead) {
        List<GridSignal.Point> forecast = new ArrayList<>();
        for (int h = 0; h < ahead.length; h++) {
            forecast.add(new GridSignal.Point(T0.plus(Duration.ofHours(h + 1)), Duration.ofHours(1), ahead[h]));
        }
        return new GridSignal("ES", GridIntensity.of(now, "test"), forecast);
    }

    private static double price(FleetView fleet) {
        return fleet.clearingGramsPerEval(UNKNOWN);
    }

    private static double grams(double gramsPerKwh) {
        return Sci.operationalGrams(1, gramsPerKwh);
    }

    @Test
    void theDearestSlotTheExpectedWorkReachesCheapestFirst() {
        FleetView fleet = new FleetView(T0, List.of(pool("es", "ES")), Map.of("ES", spain(200, 40, 100, 300)));
        Map<String, double[]> hours = Map.of("es", new double[] {1000, 1000, 1000, 1000});
        // 4 hours of 600: 2,400 evaluations fill 40, 100 and part of 200.
        assertEquals(grams(200), price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 600))), 1e-15);
        // 4 hours of 400: 1,600 fit in 40 and 100.
        assertEquals(grams(100), price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 400))), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 1001))), "more than every slot holds");
        assertEquals(Double.NEGATIVE_INFINITY, price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 0))), "no work expected needs no slot");
    }

    @Test
    void theHourInForceCountsForWhatIsLeftOfIt() {
        Instant half = T0.plus(Duration.ofMinutes(30));
        FleetView fleet = new FleetView(half, List.of(pool("es", "ES")), Map.of("ES", spain(50, 100)));
        Map<String, double[]> hours = Map.of("es", new double[] {1000, 1000});
        // 1.5 hours of 600 = 900: the half hour left holds 500 at 50 g/kWh, the rest goes to 100.
        assertEquals(grams(100), price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 600))), 1e-15);
        // 1.5 hours of 300 = 450 fit in the half hour.
        assertEquals(grams(50), price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 300))), 1e-15);
    }

    @Test
    void aStaleOrUnplannedPoolOffersOnlyWhatItIsKnownToHave() {
        GridSignal stale = new GridSignal("NO", GridIntensity.of(10, "test").asStale(), List.of(
                new GridSignal.Point(T0.plus(Duration.ofHours(1)), Duration.ofHours(1), 1)));
        FleetView fleet = new FleetView(T0, List.of(pool("es", "ES"), pool("no", "NO"), pool("elsewhere", "ES")),
                Map.of("ES", spain(200, 100), "NO", stale));
        Map<String, double[]> hours = Map.of("es", new double[] {1000, 1000}, "no", new double[] {1000, 1000});
        // 2 hours of 900 = 1,800: Norway now (1,000, its stale forecast not counted) and 800 of Spain's next hour.
        assertEquals(grams(100), price(fleet.withPlan(new DeferralPlan(T0, hours, hours, 900))), 1e-15);
    }

    @Test
    void viewsDerivedFromOneFleetPriceTheirOwnInstantAndPlan() {
        FleetView fleet = new FleetView(T0, List.of(pool("es", "ES")), Map.of("ES", spain(50, 100)));
        Map<String, double[]> hours = Map.of("es", new double[] {1000, 1000});
        DeferralPlan plan = new DeferralPlan(T0, hours, hours, 450);
        // At the hour's start 2 hours of 450 = 900 fit in the hour in force at 50 g/kWh.
        assertEquals(grams(50), price(fleet.withPlan(plan)), 1e-15);
        // Half an hour on, the same fleet and plan: 675 against the 500 left of the hour, so the next hour is reached.
        assertEquals(grams(100), price(fleet.withPlan(plan).at(T0.plus(Duration.ofMinutes(30)))), 1e-15);
        // Other hours in the plan are sorted again, not read from the first plan's.
        Map<String, double[]> fewer = Map.of("es", new double[] {200, 1000});
        assertEquals(grams(100), price(fleet.withPlan(new DeferralPlan(T0, fewer, fewer, 450))), 1e-15);
    }
}
