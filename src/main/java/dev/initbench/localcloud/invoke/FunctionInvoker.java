package dev.initbench.localcloud.invoke;

import java.util.Optional;

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
}
