package io.un0.gateway.quotas;

import io.un0.proto.v1.Quota;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every tenant's quota as the compacted quotas topic says, read whole by every gateway instance (ResultReader). */
@ApplicationScoped
public class QuotaBook {

    private final Map<String, Quota> quotas = new ConcurrentHashMap<>();

    /** @param quota null for a tombstone: the tenant has no quota any more */
    public void read(String tenant, Quota quota) {
        if (quota == null) {
            quotas.remove(tenant);
        } else {
            quotas.put(tenant, quota);
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /** The tenant's quota; every limit 0 (none) for a tenant without one. */
    public Quota quota(String tenant) {
        return quotas.getOrDefault(tenant, Quota.newBuilder().setTenant(tenant).build());
    }

    public List<Quota> all() {
        return quotas.values().stream().sorted(Comparator.comparing(Quota::getTenant)).toList();
    }

    /** Waits up to {@code wait} until this instance has read {@code quota} back from the topic. */
    public synchronized boolean awaitRead(Quota quota, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (!quota.equals(quotas.get(quota.getTenant()))) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
