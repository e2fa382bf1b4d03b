package io.un0.scheduler.budget;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down once the budget reader has stopped on a failure: it does not restart itself, so the process must. */
@Liveness
@Singleton
public class PowerBudgetLiveness implements HealthCheck {

    private final PowerBudgetBook book;

    PowerBudgetLiveness(PowerBudgetBook book) {
        this.book = book;
    }

    @Override
    public HealthCheckResponse call() {
        return book.failure()
                .map(e -> HealthCheckResponse.named("un0-power-budget-reader").down().withData("failure", String.valueOf(e.getMessage())).build())
                .orElseGet(() -> HealthCheckResponse.up("un0-power-budget-reader"));
    }
}
