package io.un0.model;

/** A model package is missing, unreadable, corrupt, or its manifest does not describe its graph. */
public class ModelPackageException extends RuntimeException {
    public ModelPackageException(String message) {
        super(message);
    }

    public ModelPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
