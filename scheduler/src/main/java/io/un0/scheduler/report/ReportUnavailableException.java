package io.un0.scheduler.report;

/** Kafka could not be read in time for a report: answered UNAVAILABLE, and asking again is safe. */
public class ReportUnavailableException extends RuntimeException {

    ReportUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
