package io.un0.scheduler.budget;

import io.un0.proto.MeshTopic;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the budgets topic has been read to its end: routing before that could ignore a cap set earlier. */
@Readiness
@Singleton
public class PowerBudgetReadiness implements HealthCheck {

    private final PowerBudgetBook book;

    PowerBudgetReadiness(PowerBudgetBook book) {
        this.book = book;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("un0-power-budgets")
                .withData("topic", MeshTopic.POWER_BUDGETS.name()).withData("caps", book.list().size());
        book.failure().ifPresent(e -> response.withData("failure", String.valueOf(e.getMessage())));
        return response.status(book.ready() && book.failure().isEmpty()).build();
    }
}
