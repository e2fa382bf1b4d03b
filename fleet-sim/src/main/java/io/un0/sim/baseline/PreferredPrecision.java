package io.un0.sim.baseline;

import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.vocabulary.Precision;

/** The baselines' precision: int8 where the pool serves it and the job allows it, else fp32, else none. */
final class PreferredPrecision {

    private PreferredPrecision() {
    }

    static Precision of(JobView job, PoolView pool) {
        for (Precision p : new Precision[] {Precision.INT8, Precision.FP32}) {
            if (pool.precisions().contains(p) && job.allowsPrecision(p)) {
                return p;
            }
        }
        return null;
    }
}
