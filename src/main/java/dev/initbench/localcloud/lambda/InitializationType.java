package dev.initbench.localcloud.lambda;

/** {@code AWS_LAMBDA_INITIALIZATION_TYPE} of an execution environment. */
public enum InitializationType {
    ON_DEMAND("on-demand"),
    PROVISIONED_CONCURRENCY("provisioned-concurrency");

    private final String value;

    InitializationType(String value) {
        this.value = value;
    }

    /** The value AWS sets in the environment variable. */
    public String value() {
        return value;
    }
}
