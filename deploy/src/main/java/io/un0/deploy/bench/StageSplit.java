package io.un0.deploy.bench;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.Timings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one request's time goes, stage by stage, as medians over a run: the client's view less the gateway's own
 * total (gRPC, TLS, the token check, the reply), and the stages the result's {@link Timings} name. Every stage is
 * read off the one machine's clock here, so the stages add up to the request's latency (medians need not).
 */
public final class StageSplit {

    /** The stages, in the order a request passes them. */
    public static final List<String> STAGES = List.of(
            "client_to_gateway_and_back", // gRPC over TLS both ways, the bearer token checked, the reply written
            "gateway_to_scheduler",       // validation, the job written to un0.jobs.v1 and read by the scheduler (0 under a lease: the gateway decides)
            "scheduler_to_engine",        // from the decision (the scheduler's, or the gateway's under a lease), the pool's lane, the worker's batching wait
            "inference",                  // the engine's run, this job's share of its batch
            "engine_to_gateway");         // PNG encoding, un0.results.v1 written and read by the gateway

    private final List<double[]> samples = new ArrayList<>();

    /** @param latencyMs what the client measured for this response */
    public synchronized void add(double latencyMs, GenerateResponse r) {
        Timings t = r.getAccounting().getTimings();
        if (!t.hasTotal() || !t.hasScheduling()) {
            return;
        }
        double total = millis(t.getTotal());
        double scheduling = millis(t.getScheduling());
        double queued = millis(t.getQueued());
        double inference = millis(t.getInference());
        samples.add(new double[] {latencyMs - total, scheduling, queued, inference, total - scheduling - queued - inference});
    }

    /** The median of each stage, in milliseconds, rounded to hundredths; empty when no response carried timings. */
    public synchronized Map<String, Double> medians() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return m;
        }
        for (int s = 0; s < STAGES.size(); s++) {
            int stage = s;
            double[] v = samples.stream().mapToDouble(x -> x[stage]).sorted().toArray();
            m.put(STAGES.get(s), Math.round(v[(v.length - 1) / 2] * 100) / 100.0);
        }
        return m;
    }

    private static double millis(com.google.protobuf.Duration d) {
        return ProtoTime.duration(d).toNanos() / 1e6;
    }

    @Override
    public String toString() {
        return "stages (median ms): " + Arrays.toString(medians().entrySet().toArray());
    }
}
