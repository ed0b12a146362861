package dev.initbench.functions;

/**
 * Builds its SSM client and fetches the parameter while the execution environment initializes. Under provisioned
 * concurrency that work is done before any request arrives. Handler: {@code dev.initbench.functions.EagerInitHandler}.
 */
public final class EagerInitHandler extends ParameterFunction {

    /** Used by the Lambda runtime: reads its settings from the environment. */
    public EagerInitHandler() {
        this(ParameterSource.fromEnvironment());
    }

    EagerInitHandler(ParameterSource source) {
        super(Strategy.EAGER, source);
    }
}
