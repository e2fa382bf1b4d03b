package io.un0.worker;

import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assignments that go through the engine together: same precision, same step count, at most the batch limit of
 * images. {@link #plan} is a pure function so that batching is tested without a broker.
 */
public record EngineRun(Precision precision, int steps, List<Assignment> assignments) {

    public int images() {
        return assignments.stream().mapToInt(a -> a.getJob().getCount()).sum();
    }

    /**
     * Groups in arrival order, interactive jobs ahead of the rest (a caller waits on them); a group that would pass
     * {@code maxImages} starts a new run.
     */
    public static List<EngineRun> plan(List<Assignment> assignments, int maxImages) {
        List<Assignment> interactiveFirst = new ArrayList<>(assignments);
        // A stable sort: arrival order within each priority.
        interactiveFirst.sort(Comparator.comparing(a -> a.getJob().getPriority() != Priority.PRIORITY_INTERACTIVE));
        Map<String, List<List<Assignment>>> byKind = new LinkedHashMap<>();
        for (Assignment a : interactiveFirst) {
            List<List<Assignment>> runs = byKind.computeIfAbsent(a.getPrecision() + "/" + a.getSteps(), k -> new ArrayList<>());
            List<Assignment> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last == null || images(last) + a.getJob().getCount() > maxImages) {
                last = new ArrayList<>();
                runs.add(last);
            }
            last.add(a);
        }
        List<EngineRun> plan = new ArrayList<>();
        byKind.values().forEach(runs -> runs.forEach(run ->
                plan.add(new EngineRun(run.get(0).getPrecision(), run.get(0).getSteps(), List.copyOf(run)))));
        return plan;
    }

    private static int images(List<Assignment> run) {
        return run.stream().mapToInt(a -> a.getJob().getCount()).sum();
    }
}
