package dev.initbench.localcloud.lambda;

import java.util.Objects;
import java.util.Optional;

/**
 * What one execution environment is started for.
 *
 * @param function           the version it runs
 * @param initializationType {@code AWS_LAMBDA_INITIALIZATION_TYPE}
 * @param provisionedFor     the alias or version whose provisioned concurrency it belongs to; empty when on-demand
 * @param runtime            the chosen runtime installation that launches it
 */
record EnvironmentSpec(FunctionVersion function, InitializationType initializationType,
                       Optional<String> provisionedFor, PreparedRuntime runtime) {

    EnvironmentSpec {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(initializationType, "initializationType");
        Objects.requireNonNull(provisionedFor, "provisionedFor");
        Objects.requireNonNull(runtime, "runtime");
        if (provisionedFor.isPresent() != (initializationType == InitializationType.PROVISIONED_CONCURRENCY)) {
            throw new IllegalArgumentException("a provisioned-concurrency environment names its qualifier, "
                    + "an on-demand one does not");
        }
    }

    static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link EnvironmentSpec}; on-demand unless {@link #provisionedFor} is given. */
    static final class Builder {
        private FunctionVersion function;
        private Optional<String> provisionedFor = Optional.empty();
        private PreparedRuntime runtime;

        Builder function(FunctionVersion function) {
            this.function = function;
            return this;
        }

        /** Makes it a provisioned-concurrency environment of this alias or version. */
        Builder provisionedFor(String qualifier) {
            this.provisionedFor = Optional.of(qualifier);
            return this;
        }

        Builder runtime(PreparedRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        EnvironmentSpec build() {
            return new EnvironmentSpec(function, provisionedFor.isPresent()
                    ? InitializationType.PROVISIONED_CONCURRENCY : InitializationType.ON_DEMAND, provisionedFor,
                    runtime);
        }
    }
}
