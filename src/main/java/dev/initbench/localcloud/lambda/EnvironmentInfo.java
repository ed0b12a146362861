package dev.initbench.localcloud.lambda;

import java.util.Optional;

/**
 * A snapshot of one execution environment, for tests, diagnostics and the local cloud's own reports.
 *
 * @param id                 32 hex digits, also the end of the log stream name
 * @param functionName       the function
 * @param version            the version it runs
 * @param provisionedFor     the alias or version whose provisioned concurrency it belongs to; empty when on-demand
 * @param initializationType {@code AWS_LAMBDA_INITIALIZATION_TYPE}
 * @param state              its state
 * @param pid                the JVM's process id
 * @param logStreamName      its stream in {@code /aws/lambda/<function>}
 * @param runtime            the installation that serves it (with a substitution note when not the requested one)
 * @param invocations        invocations served so far
 */
public record EnvironmentInfo(String id, String functionName, String version, Optional<String> provisionedFor,
                              InitializationType initializationType, EnvironmentState state, long pid,
                              String logStreamName, RuntimeInstallation runtime, long invocations) {
}
