package io.un0.train.trainer;

import java.io.PrintStream;
import java.time.Duration;

/** A progress bar with loss, steps per second and ETA; one line per update when the output is not a terminal. */
final class Progress {

    private final String label;
    private final int total;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private final int firstStep;
    private double smoothedLoss = Double.NaN;

    Progress(String label, int firstStep, int total, PrintStream out) {
        this.label = label;
        this.firstStep = firstStep;
        this.total = total;
        this.out = out;
    }

    void update(int step, double loss) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.98 * smoothedLoss + 0.02 * loss;
        int every = terminal ? 1 : Math.max(1, total / 50);
        if (step % every != 0 && step != total) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = (step - firstStep) / Math.max(seconds, 1e-9);
        long eta = rate > 0 ? Math.round((total - step) / rate) : 0;
        int filled = (int) (30L * step / total);
        // Work without a loss (making teacher pairs) reports none.
        String lossPart = Double.isNaN(smoothedLoss) ? "" : String.format(" loss %.4f", smoothedLoss);
        String line = String.format("%s [%s%s] %d/%d%s  %.2f steps/s  ETA %s",
                label, "#".repeat(filled), ".".repeat(30 - filled), step, total, lossPart, rate, format(eta));
        if (terminal) {
            out.print("\r" + line + (step == total ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String format(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
