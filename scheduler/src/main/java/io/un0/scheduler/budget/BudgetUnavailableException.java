package io.un0.scheduler.budget;

/** Kafka did not acknowledge a budget in time, or the book did not read it back in time: try again. */
public class BudgetUnavailableException extends RuntimeException {

    public BudgetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
