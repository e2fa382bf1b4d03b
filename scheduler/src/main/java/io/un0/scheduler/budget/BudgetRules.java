package io.un0.scheduler.budget;

import io.un0.proto.Violation;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * What a budget must be, for the API and for records read back from the topic alike, so that a cap refused over
 * gRPC cannot enter by Kafka either. Field names are the proto's, for {@code google.rpc.BadRequest}.
 */
public final class BudgetRules {

    /** Far above any site of this mesh: a figure beyond it is a typo (kW for W), not a budget. */
    public static final double MAX_WATTS = 10_000_000;
    public static final int MAX_NAME = 100;
    public static final int MAX_SET_BY = 200;
    public static final int MAX_REASON = 1_000;

    private BudgetRules() {
    }

    /** Scope and name: what a site or pool key needs. */
    public static List<Violation> key(BudgetScope scope, String name) {
        List<Violation> found = new ArrayList<>();
        switch (scope) {
            case BUDGET_SCOPE_SITE, BUDGET_SCOPE_POOL -> {
            }
            case BUDGET_SCOPE_UNSPECIFIED -> found.add(new Violation("scope", "required: BUDGET_SCOPE_SITE or BUDGET_SCOPE_POOL"));
            case UNRECOGNIZED -> found.add(new Violation("scope", "unknown scope; use BUDGET_SCOPE_SITE or BUDGET_SCOPE_POOL"));
        }
        if (name.isEmpty()) {
            found.add(new Violation("name", "required: the site or pool as its workers' heartbeats name it"));
        } else if (name.length() > MAX_NAME) {
            found.add(new Violation("name", name.length() + " characters; at most " + MAX_NAME));
        } else if (!name.matches("[a-z0-9._-]+")) {
            found.add(new Violation("name", "'" + name + "' has characters outside a-z 0-9 . _ - (as pool names)"));
        }
        return found;
    }

    public static List<Violation> budget(PowerBudget b) {
        List<Violation> found = key(b.getScope(), b.getName());
        double w = b.getWatts();
        if (Double.isNaN(w) || Double.isInfinite(w)) {
            found.add(new Violation("watts", w + " is not a finite number of watts"));
        } else if (w < 0) {
            found.add(new Violation("watts", w + " is negative; the least cap is 0"));
        } else if (w > MAX_WATTS) {
            found.add(new Violation("watts", w + " W is above the sanity cap of 10,000,000 W (10 MW); kW given as W?"));
        }
        if (b.getSetBy().length() > MAX_SET_BY) {
            found.add(new Violation("set_by", b.getSetBy().length() + " characters; at most " + MAX_SET_BY));
        }
        if (b.getReason().length() > MAX_REASON) {
            found.add(new Violation("reason", b.getReason().length() + " characters; at most " + MAX_REASON));
        }
        return found;
    }
}
