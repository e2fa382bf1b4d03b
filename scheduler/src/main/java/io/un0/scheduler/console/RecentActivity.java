package io.un0.scheduler.console;

import io.un0.auth.Caller;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last window's decision records and results, as the console shows them: where jobs went and why, deferred work
 * still waiting, and each tenant's joules and grams of CO2e per image minute by minute. Fed by {@link ConsoleFeed}
 * from the decisions and results topics, so it covers every scheduler instance's decisions, not only this one's.
 */
public final class RecentActivity {

    /** One decision as the console lists it. */
    public record DecisionRow(Instant decided, String jobId, String kind, String pool, String policy, String reason, Instant holdUntil) {
    }

    /** Decisions of the window by pool (assignments) or by kind (the rest), and the latest ones. */
    public record Decisions(Map<String, Long> assignedByPool, Map<String, Long> byKind, List<DecisionRow> latest, List<DecisionRow> deferredWaiting) {
    }

    /**
     * One minute of one tenant's results: images, and per image the worker's joules and grams and the whole mesh's
     * (null where no result of the minute carried the whole boundary's figures yet).
     */
    public record Minute(Instant minute, long images, double joulesPerImage, double gramsPerImage,
                         Double boundaryJoulesPerImage, Double boundaryGramsPerImage) {
    }

    public record View(Instant at, Duration window, Decisions decisions, Map<String, List<Minute>> tenants) {
    }

    /** Sums of one tenant's minute; the boundary figures over the results that carried one. */
    private static final class MinuteSums {
        long images;
        double joules;
        double grams;
        long boundaryImages;
        double boundaryJoules;
        double boundaryGrams;
    }

    private static final int LATEST = 50;

    private final Duration window;
    private final Deque<DecisionRow> decisions = new ArrayDeque<>();
    private final Map<String, TreeMap<Instant, MinuteSums>> minutes = new HashMap<>();

    public RecentActivity(Duration window) {
        this.window = window;
    }

    public synchronized void decision(Decision d) {
        Instant decided = ProtoTime.instant(d.getDecided());
        decisions.addLast(new DecisionRow(decided, d.getJobId(), ProtoVocabulary.label(d.getKind()), d.getChosen().getPool(),
                d.getPolicy(), d.getReason(), d.hasHoldUntil() ? ProtoTime.instant(d.getHoldUntil()) : null));
        forgetBefore(decided.minus(window));
    }

    /** A succeeded result's figures, in the minute it was written. */
    public synchronized void result(JobResult r, Instant written) {
        if (r.getStatus() != JobStatus.JOB_STATUS_SUCCEEDED || r.getSeedsCount() == 0) {
            return;
        }
        forgetBefore(written.minus(window));
        MinuteSums m = minutes.computeIfAbsent(r.getTenant().isEmpty() ? Caller.DEFAULT_TENANT : r.getTenant(), t -> new TreeMap<>())
                .computeIfAbsent(written.truncatedTo(ChronoUnit.MINUTES), t -> new MinuteSums());
        Accounting a = r.getAccounting();
        m.images += r.getSeedsCount();
        m.joules += a.getEnergy().getJoules();
        m.grams += a.getCarbon().getGramsCo2E();
        if (a.hasBoundary()) {
            m.boundaryImages += r.getSeedsCount();
            m.boundaryJoules += a.getBoundary().getEnergy().getJoules();
            m.boundaryGrams += a.getBoundary().getGramsCo2E();
        }
    }

    public synchronized View view(Instant now) {
        forgetBefore(now.minus(window));

        Map<String, Long> byPool = new TreeMap<>();
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, DecisionRow> lastPerJob = new HashMap<>();
        for (DecisionRow d : decisions) {
            byKind.merge(d.kind(), 1L, Long::sum);
            if (d.kind().equals("assign")) {
                byPool.merge(d.pool(), 1L, Long::sum);
            }
            lastPerJob.put(d.jobId(), d);
        }
        // Deferred and not decided since: still waiting for its greener hour.
        List<DecisionRow> waiting = lastPerJob.values().stream().filter(d -> d.kind().equals("defer"))
                .sorted(Comparator.comparing(DecisionRow::holdUntil, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        List<DecisionRow> latest = new ArrayList<>(LATEST);
        for (Iterator<DecisionRow> newestFirst = decisions.descendingIterator(); newestFirst.hasNext() && latest.size() < LATEST; ) {
            latest.add(newestFirst.next());
        }
        Map<String, List<Minute>> tenants = new TreeMap<>();
        minutes.forEach((tenant, byMinute) -> tenants.put(tenant, byMinute.entrySet().stream().map(e -> minute(e.getKey(), e.getValue())).toList()));
        return new View(now, window, new Decisions(byPool, byKind, List.copyOf(latest), waiting), tenants);
    }

    /** Kept to the window as records arrive, not only when someone looks: a console no one opens must not grow. */
    private void forgetBefore(Instant from) {
        while (!decisions.isEmpty() && decisions.peekFirst().decided().isBefore(from)) {
            decisions.removeFirst();
        }
        minutes.values().forEach(m -> m.headMap(from.truncatedTo(ChronoUnit.MINUTES)).clear());
        minutes.values().removeIf(Map::isEmpty);
    }

    private static Minute minute(Instant at, MinuteSums m) {
        boolean boundary = m.boundaryImages > 0;
        return new Minute(at, m.images, m.joules / m.images, m.grams / m.images,
                boundary ? m.boundaryJoules / m.boundaryImages : null, boundary ? m.boundaryGrams / m.boundaryImages : null);
    }
}
