package dev.initbench.localcloud.invoke;

import dev.initbench.localcloud.protocol.AwsServiceException;

/**
 * Invoke refused because the concurrency limit is reached ({@code TooManyRequestsException}, 429); the caller may
 * retry later. A subtype of {@link AwsServiceException} so the Lambda API answers it on the wire unchanged, while a
 * front door recognises it by type.
 */
public final class InvocationThrottledException extends AwsServiceException {

    public InvocationThrottledException(String message) {
        super("TooManyRequestsException", 429, message);
    }
}
