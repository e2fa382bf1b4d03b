package io.un0.scheduler.budget;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.carbon.TraceFolders;
import io.un0.proto.v1.PowerBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Edge sites powered by their panels: every {@link SolarPlan#STEP} of replayed time, each configured site's budget
 * is set to its floor plus its panels' output in the recorded trace, through the budgets topic like an operator's
 * cap. Off when no site is configured; with sites but no trace, the scheduler does not start.
 */
@ApplicationScoped
public class SolarBudgets {

    private static final System.Logger LOG = System.getLogger(SolarBudgets.class.getName());

    private final SolarConfig config;
    private final PowerBudgetBook book;
    private ScheduledExecutorService timer;

    SolarBudgets(SolarConfig config, PowerBudgetBook book) {
        this.config = config;
        this.book = book;
    }

    void start(@Observes StartupEvent e) throws IOException {
        Optional<SolarPlan> loaded = SolarPlan.load(config, TraceFolders.sharedData(), Instant.now());
        if (loaded.isEmpty()) {
            return;
        }
        SolarPlan plan = loaded.get();
        LOG.log(System.Logger.Level.INFO, "solar budgets for {0}, replaying from {1} at {2}× (a budget every {3} ms)",
                plan.sites().stream().map(s -> s.site() + "=" + s.trace().location()).toList(), plan.replayStart(), plan.speed(),
                plan.period().toMillis());
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "un0-solar-budgets"));
        timer.scheduleAtFixedRate(() -> update(plan), 0, plan.period().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void update(SolarPlan plan) {
        for (PowerBudget b : plan.budgetsAt(Instant.now())) {
            try {
                book.set(b);
            } catch (RuntimeException ex) {
                // A throwing task would end the timer for good; the next step writes a fresh figure anyway.
                LOG.log(System.Logger.Level.WARNING, "solar budget of site " + b.getName() + " not written; next try in "
                        + plan.period().toMillis() + " ms: " + ex.getMessage());
            }
        }
    }
}
