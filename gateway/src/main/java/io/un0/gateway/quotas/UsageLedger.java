package io.un0.gateway.quotas;

import io.un0.auth.Caller;
import io.un0.gateway.results.AccountingTotal;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Quota;
import io.un0.proto.v1.TenantUsage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each tenant's finished jobs cost per UTC day: images, energy and carbon, from the accounting their results
 * carry. Every gateway instance reads the whole results topic (ResultReader), so each counts the same; a job counts
 * once however often its result is redelivered within {@link #REDELIVERY_WINDOW}, on the day its first result was written.
 */
@ApplicationScoped
public class UsageLedger {

    private record Key(String tenant, LocalDate day) {
    }

    /**
     * How long a job's id is remembered to spot a second result for it. A job is run again when its worker dies
     * between writing the result and committing (its partitions move on within the group's 10 s session) or when
     * the scheduler restarts before committing: minutes at most. A later duplicate counts twice, which errs on the
     * tenant's budget, not on the planet's. Remembering every id of the day instead grew the heap with every job.
     */
    static final Duration REDELIVERY_WINDOW = Duration.ofMinutes(15);

    private static final class Usage {
        long images;
        final AccountingTotal total = new AccountingTotal();
    }

    private final Map<Key, Usage> days = new HashMap<>();
    /** The jobs counted within the window, oldest first. */
    private final LinkedHashMap<String, Instant> recentJobs = new LinkedHashMap<>();
    private LocalDate latest = LocalDate.MIN;

    public synchronized void record(JobResult r, Instant written) {
        if (r.getStatus() != JobStatus.JOB_STATUS_SUCCEEDED) {
            return;
        }
        Iterator<Instant> oldest = recentJobs.values().iterator();
        while (oldest.hasNext() && oldest.next().isBefore(written.minus(REDELIVERY_WINDOW))) {
            oldest.remove();
        }
        if (recentJobs.putIfAbsent(r.getJobId(), written) != null) {
            return;
        }
        LocalDate day = day(written);
        Usage u = days.computeIfAbsent(new Key(tenantOf(r), day), k -> new Usage());
        u.images += r.getPngCount();
        u.total.add(r.getAccounting());
        if (day.isAfter(latest)) {
            latest = day;
            // Only today's usage is ever asked for; yesterday's stays for a result written just before midnight.
            days.keySet().removeIf(k -> k.day().isBefore(day.minusDays(1)));
        }
    }

    /** The tenant's usage on the UTC day of {@code now}, with {@code quota} as the limits in force. */
    public synchronized TenantUsage today(String tenant, Instant now, Quota quota) {
        LocalDate day = day(now);
        Usage u = days.get(new Key(tenant, day));
        TenantUsage.Builder b = TenantUsage.newBuilder().setTenant(tenant).setQuota(quota)
                .setDay(ProtoTime.timestamp(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
        if (u != null) {
            b.setImages(u.images).setEnergy(u.total.energy()).setCarbon(u.total.carbon());
        }
        return b.build();
    }

    private static String tenantOf(JobResult r) {
        return r.getTenant().isEmpty() ? Caller.DEFAULT_TENANT : r.getTenant();
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
