package io.un0.carbon;

/** A source could not give a figure: unknown region, a gap in a trace, a service that failed or answered garbage. */
public class SignalUnavailableException extends Exception {

    public SignalUnavailableException(String message) {
        super(message);
    }

    public SignalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
