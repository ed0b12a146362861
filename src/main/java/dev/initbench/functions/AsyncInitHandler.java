package dev.initbench.functions;

/**
 * Starts building its SSM client and fetching the parameter on another thread while the execution environment
 * initializes, without waiting for it, and waits for what is left of it on the first invocation: the Java analog of
 * the sample's CommonJS function. Handler: {@code dev.initbench.functions.AsyncInitHandler}.
 */
public final class AsyncInitHandler extends ParameterFunction {

    /** Used by the Lambda runtime: reads its settings from the environment. */
    public AsyncInitHandler() {
        this(ParameterSource.fromEnvironment());
    }

    AsyncInitHandler(ParameterSource source) {
        super(Strategy.ASYNC, source);
    }
}
