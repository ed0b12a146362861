package dev.initbench.functions;

/**
 * Builds its SSM client and fetches the parameter on the first invocation of each execution environment, so that
 * request pays for it even under provisioned concurrency. Handler: {@code dev.initbench.functions.LazyInitHandler}.
 */
public final class LazyInitHandler extends ParameterFunction {

    /** Used by the Lambda runtime: reads its settings from the environment. */
    public LazyInitHandler() {
        this(ParameterSource.fromEnvironment());
    }

    LazyInitHandler(ParameterSource source) {
        super(Strategy.LAZY, source);
    }
}
