package dev.initbench.localcloud.invoke;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.util.Map;

/**
 * Invoke refused: nothing ran ({@code TooManyRequestsException}, 429); the caller may retry later. A subtype of
 * {@link AwsServiceException} so the Lambda API answers it on the wire unchanged, while a front door recognises it
 * by type. Its {@link #throttleCause()} says which limit refused it.
 */
public final class InvocationThrottledException extends AwsServiceException {

    /** Which limit throttled the invocation. */
    public enum Cause {
        /** The account's concurrency limit (AWS's). */
        CONCURRENCY_LIMIT,
        /**
         * The host's memory cannot hold another execution environment (the local cloud's own limit: AWS has none).
         */
        HOST_MEMORY
    }

    /**
     * The error's {@code Reason} (botocore's {@code ThrottleReason}): both causes are a limit on concurrent
     * executions, the host's memory being a lower one than the account's, and no other value of AWS's enum fits
     * better; the message tells them apart.
     */
    private static final String REASON = "ConcurrentInvocationLimitExceeded";

    private final Cause cause;

    public InvocationThrottledException(Cause cause, String message) {
        super("TooManyRequestsException", 429, message);
        this.cause = java.util.Objects.requireNonNull(cause, "cause");
    }

    /** Which limit refused the invocation. */
    public Cause throttleCause() {
        return cause;
    }

    @Override
    public Map<String, String> errorFields() {
        return Map.of("Reason", REASON);
    }
}
