package io.un0.gateway.quotas;

import io.grpc.StatusRuntimeException;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.v1.Quota;
import io.un0.proto.v1.TenantUsage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Whether a tenant may start more work now: its energy and carbon so far today within its daily budgets (else
 * nothing more until midnight UTC), and, for interactive calls, its images within its rate.
 */
@ApplicationScoped
public class QuotaGuard {

    private final QuotaBook book;
    private final UsageLedger ledger;
    private final ImageRates rates = new ImageRates();

    public QuotaGuard(QuotaBook book, UsageLedger ledger) {
        this.book = book;
        this.ledger = ledger;
    }

    /**
     * The refusal, when the tenant is over a quota: RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo.
     *
     * @param images what an interactive call asks for, counted against the rate; 0 for a batch, which the scheduler
     *               spreads over its deadline and the daily budgets alone limit
     */
    public Optional<StatusRuntimeException> refusal(String tenant, int images, Instant now) {
        Quota q = book.quota(tenant);
        TenantUsage used = ledger.today(tenant, now, q);
        Duration untilMidnight = Duration.between(now, UsageLedger.day(now).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        String subject = "tenant:" + tenant;
        if (q.getJoulesPerDay() > 0 && used.getEnergy().getJoules() >= q.getJoulesPerDay()) {
            return Optional.of(GrpcStatuses.overQuota(subject, String.format("tenant %s has used %.1f J of its %.1f J a day (joules_per_day)",
                    tenant, used.getEnergy().getJoules(), q.getJoulesPerDay()), untilMidnight));
        }
        if (q.getGramsCo2EPerDay() > 0 && used.getCarbon().getGramsCo2E() >= q.getGramsCo2EPerDay()) {
            return Optional.of(GrpcStatuses.overQuota(subject, String.format("tenant %s has emitted %.4f gCO2e of its %.4f gCO2e a day (grams_co2e_per_day)",
                    tenant, used.getCarbon().getGramsCo2E(), q.getGramsCo2EPerDay()), untilMidnight));
        }
        if (images > 0 && q.getImagesPerSecond() > 0) {
            Optional<Duration> wait = rates.take(tenant, q.getImagesPerSecond(), images, now);
            if (wait.isPresent()) {
                return Optional.of(GrpcStatuses.overQuota(subject, String.format("tenant %s is over its %.1f images a second (images_per_second)",
                        tenant, q.getImagesPerSecond()), wait.get()));
            }
        }
        return Optional.empty();
    }
}
