package dev.initbench.localcloud.invoke;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The narrow port through which a front door (the HTTP APIs) invokes a Lambda function, so it depends on this
 * interface instead of the whole Lambda service.
 */
public interface FunctionInvoker {

    /**
     * Invokes synchronously (RequestResponse) and waits for the function's answer or failure.
     *
     * @param functionName a function name or (partial) ARN, optionally {@code name:qualifier}
     * @param qualifier    a version or alias, when not part of {@code functionName}
     * @throws InvocationThrottledException when the concurrency limit is reached; nothing ran
     */
    InvocationResult invoke(String functionName, Optional<String> qualifier, byte[] payload);

    /**
     * Invokes synchronously (RequestResponse) without a thread of the caller waiting for the answer: the future
     * completes when the function answered or failed. This default calls {@link #invoke} on the calling thread;
     * a port whose invocations take time overrides it.
     *
     * @throws InvocationThrottledException at once, when the concurrency limit is reached; nothing ran
     */
    default CompletableFuture<InvocationResult> invokeAsync(String functionName, Optional<String> qualifier,
                                                           byte[] payload) {
        return CompletableFuture.completedFuture(invoke(functionName, qualifier, payload));
    }
}
