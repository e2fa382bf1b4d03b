package io.un0.data;

/** The data set is missing, truncated or not what it claims to be; the message names the file and the fix. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
