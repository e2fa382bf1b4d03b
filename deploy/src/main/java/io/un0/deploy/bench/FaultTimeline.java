package io.un0.deploy.bench;

import io.un0.deploy.demo.Percentiles;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one fault did to a caller and to the batch, from the probe's calls and the batch's progress around the moment
 * of injection. Pure, so that its definitions are tested without a mesh.
 *
 * @param probeCallsBefore    interactive calls started before the injection
 * @param probeP99MsBefore    their p99
 * @param probeCallsDuring    calls started from the injection to the batch's end
 * @param probeFailedDuring   of those, the failed ones by status (a missed deadline included)
 * @param probeP50MsDuring    over every call during the fault, a failed one at the time it took
 * @param probeP99MsDuring    likewise
 * @param longestStallSeconds the longest time after the injection in which the batch did not advance
 * @param longestStallBeganAfterSeconds when that stall began, from the injection: a stall long after it may not be its
 * @param secondsToRecover    from the injection until callers were served again: the end of the last failed call,
 *                            0 when none failed
 */
record FaultTimeline(int probeCallsBefore, double probeP99MsBefore, int probeCallsDuring, Map<String, Integer> probeFailedDuring,
                     double probeP50MsDuring, double probeP99MsDuring, double longestStallSeconds, double longestStallBeganAfterSeconds,
                     double secondsToRecover) {

    /** The batch's count of done items as a watch event said it, and when ({@link System#nanoTime}). */
    record Progress(long nanos, int doneItems) {
    }

    static FaultTimeline of(List<InteractiveProbe.Call> calls, List<Progress> progress, long injectedNanos, long endedNanos) {
        List<InteractiveProbe.Call> before = calls.stream().filter(c -> c.startNanos() < injectedNanos).toList();
        List<InteractiveProbe.Call> during = calls.stream().filter(c -> c.startNanos() >= injectedNanos && c.startNanos() <= endedNanos).toList();
        Map<String, Integer> failed = new TreeMap<>();
        long lastFailedEnd = injectedNanos;
        for (InteractiveProbe.Call c : during) {
            if (!c.ok()) {
                failed.merge(c.code().name(), 1, Integer::sum);
                lastFailedEnd = Math.max(lastFailedEnd, c.endNanos());
            }
        }
        long longest = 0;
        long stallBegan = injectedNanos;
        long since = injectedNanos;
        int done = progress.stream().filter(p -> p.nanos() < injectedNanos).mapToInt(Progress::doneItems).max().orElse(0);
        for (Progress p : progress) {
            if (p.nanos() < injectedNanos || p.doneItems() <= done) {
                continue;
            }
            if (p.nanos() - since > longest) {
                longest = p.nanos() - since;
                stallBegan = since;
            }
            since = p.nanos();
            done = p.doneItems();
        }
        Percentiles duringMs = Percentiles.of(during.stream().map(InteractiveProbe.Call::millis).toList());
        return new FaultTimeline(before.size(), Percentiles.of(before.stream().map(InteractiveProbe.Call::millis).toList()).p99(),
                during.size(), failed, duringMs.p50(), duringMs.p99(), longest / 1e9, (stallBegan - injectedNanos) / 1e9,
                (lastFailedEnd - injectedNanos) / 1e9);
    }
}
