package io.un0.auth;

/** A credential that does not identify a caller: missing, malformed, badly signed, expired, or without a tenant. */
public final class CredentialException extends Exception {

    public CredentialException(String message) {
        super(message);
    }

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
