package dev.initbench.localcloud.invoke;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The outcome of one synchronous invocation, as Invoke reports it.
 *
 * @param payload         the function's response, or the error object when {@code functionError} is present
 * @param functionError   {@code Unhandled} when the function (or its environment) failed, as in
 *                        {@code X-Amz-Function-Error}
 * @param executedVersion the version that ran ({@code X-Amz-Executed-Version})
 * @param environmentId   the execution environment that served it (32 hex digits)
 * @param coldStart       true when the environment was started for this request
 * @param timedOut        true when the invocation ran past the function's timeout
 * @param durationMs      invoke-phase duration as the REPORT line states it
 */
public record InvocationResult(byte[] payload, Optional<String> functionError, String executedVersion,
                               String environmentId, boolean coldStart, boolean timedOut, double durationMs) {

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
