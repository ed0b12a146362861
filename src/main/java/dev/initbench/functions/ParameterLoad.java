package dev.initbench.functions;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;

/**
 * The outcome of the expensive work both functions do once per execution environment: build the SSM client and
 * fetch the parameter. Either {@link #value()} is set or {@link #errorType()} and {@link #errorMessage()} are.
 */
final class ParameterLoad {

    private final String parameterName;
    private final String value;
    private final double clientBuildMs;
    private final double fetchMs;
    private final String errorType;
    private final String errorCode;
    private final String errorMessage;
    private int attempts = 1;
    private java.util.List<String> earlierFailures = java.util.List.of();

    private ParameterLoad(String parameterName, String value, double clientBuildMs, double fetchMs,
                          String errorType, String errorCode, String errorMessage) {
        this.parameterName = parameterName;
        this.value = value;
        this.clientBuildMs = clientBuildMs;
        this.fetchMs = fetchMs;
        this.errorType = errorType;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    /** Builds the client and fetches the parameter, timing both; never throws for SDK or service failures. */
    static ParameterLoad perform(ParameterSource source) {
        String name = source.parameterName();
        long start = System.nanoTime();
        double clientBuildMs = 0;
        try {
            SsmClient client = source.newClient();
            long built = System.nanoTime();
            clientBuildMs = millisBetween(start, built);
            String value = client.getParameter(GetParameterRequest.builder().name(name).withDecryption(true).build())
                    .parameter().value();
            return new ParameterLoad(name, value, clientBuildMs, millisBetween(built, System.nanoTime()),
                    null, null, null);
        } catch (RuntimeException e) {
            String code = e instanceof AwsServiceException ? ((AwsServiceException) e).awsErrorDetails().errorCode() : null;
            ParameterLoad failed = new ParameterLoad(name, null, clientBuildMs,
                    millisBetween(start, System.nanoTime()) - clientBuildMs,
                    e.getClass().getSimpleName(), code, e.getMessage());
            // One line per failure in the function's log: the cause without a stack trace.
            System.out.println("ERROR could not read SSM parameter " + name + ": " + failed.errorType
                    + (code == null ? "" : " (" + code + ")") + ": " + e.getMessage());
            return failed;
        }
    }

    /**
     * {@link #perform} up to {@code retry.maxAttempts()} times with backoff between failures, logging each retry;
     * the result says how many attempts it took and what failed before.
     */
    static ParameterLoad performWithRetries(ParameterSource source, InitRetry retry) {
        java.util.List<String> failures = new java.util.ArrayList<>();
        ParameterLoad load = perform(source);
        while (!load.succeeded() && failures.size() + 1 < retry.maxAttempts()) {
            failures.add(load.errorType + (load.errorCode == null ? "" : " (" + load.errorCode + ")"));
            java.time.Duration wait = retry.backoffAfter(failures.size());
            System.out.println("WARN init fetch of " + load.parameterName + " failed on attempt " + failures.size()
                    + " of " + retry.maxAttempts() + "; retrying in " + wait.toMillis() + " ms");
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            load = perform(source);
        }
        load.attempts = failures.size() + 1;
        load.earlierFailures = java.util.List.copyOf(failures);
        if (load.attempts > 1) {
            System.out.println((load.succeeded() ? "INFO init fetch of " + load.parameterName + " succeeded on attempt "
                    : "ERROR init fetch of " + load.parameterName + " gave up after attempt ") + load.attempts
                    + " of " + retry.maxAttempts() + " (earlier failures: " + String.join(", ", failures) + ")");
        }
        return load;
    }

    int attempts() {
        return attempts;
    }

    /** Why the attempts before the last one failed, oldest first. */
    java.util.List<String> earlierFailures() {
        return earlierFailures;
    }

    private static double millisBetween(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1_000_000.0;
    }

    boolean succeeded() {
        return errorType == null;
    }

    String parameterName() {
        return parameterName;
    }

    String value() {
        return value;
    }

    double clientBuildMs() {
        return clientBuildMs;
    }

    double fetchMs() {
        return fetchMs;
    }

    double totalMs() {
        return clientBuildMs + fetchMs;
    }

    String errorType() {
        return errorType;
    }

    String errorCode() {
        return errorCode;
    }

    String errorMessage() {
        return errorMessage;
    }
}
