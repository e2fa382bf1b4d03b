package io.un0.worker;

import java.util.List;

/**
 * Splits what a batch cost among its jobs by their share of the work: images × network evaluations. A job of 4
 * images at 1 step in a batch with a job of 2 images at 2 steps carries half of the batch's energy.
 */
public final class WorkShare {

    private WorkShare() {
    }

    /** @return each job's share of {@code total}, in order; shares sum to {@code total} */
    public static double[] split(double total, List<Integer> images, List<Integer> steps) {
        double work = 0;
        for (int i = 0; i < images.size(); i++) {
            work += (double) images.get(i) * steps.get(i);
        }
        double[] share = new double[images.size()];
        for (int i = 0; i < share.length; i++) {
            share[i] = work == 0 ? 0 : total * images.get(i) * steps.get(i) / work;
        }
        return share;
    }
}
