package io.un0.sim.baseline;

import io.un0.routing.JobView;
import io.un0.routing.PoolView;

/** The baselines' precision: int8 where the pool serves it and the job allows it, else fp32, else none. */
final class Precision {

    private Precision() {
    }

    static String preferred(JobView job, PoolView pool) {
        for (String p : new String[]{"int8", "fp32"}) {
            if (pool.precisions().contains(p) && job.allowsPrecision(p)) {
                return p;
            }
        }
        return null;
    }
}
