package io.un0.worker.power;

/** NVML could not be loaded, or one of its calls failed; the message names the call and NVML's own words for the failure. */
public final class NvmlException extends RuntimeException {

    NvmlException(String message) {
        super(message);
    }
}
