package dev.initbench.localcloud.lambda;

import java.nio.charset.StandardCharsets;

/** A failed init or a dead runtime, with the error object Invoke answers. */
final class EnvironmentFailure extends Exception {

    private final String errorType;
    private final byte[] payload;

    EnvironmentFailure(String errorType, String message) {
        super(message);
        this.errorType = errorType;
        this.payload = RuntimeApiServer.errorObject(errorType, message);
    }

    /** A failure the runtime reported with its own error object. */
    EnvironmentFailure(String errorType, byte[] runtimePayload) {
        super(new String(runtimePayload, StandardCharsets.UTF_8));
        this.errorType = errorType;
        this.payload = runtimePayload;
    }

    String errorType() {
        return errorType;
    }

    byte[] payload() {
        return payload;
    }
}
