package io.un0.train.trainer;

/** Linear warm-up over the first 2 % of steps, then a cosine decay to a tenth of the peak. */
record LearningRateSchedule(float peak, int steps) {

    float at(int step) {
        int warmup = Math.max(1, steps / 50);
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double progress = (step - warmup) / (double) Math.max(1, steps - warmup);
        return (float) (peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }
}
