package io.un0.scheduler.budget;

/** A record on the budgets topic that cannot be a cap: its reason goes to the dead letters. */
public class UnreadableBudgetException extends Exception {

    public UnreadableBudgetException(String reason) {
        super(reason);
    }
}
