package dev.initbench.bench.deploy;

import dev.initbench.bench.config.Strategy;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack created from template.yaml, with its outputs.
 *
 * @param stackName     the unique stack name
 * @param stackId       its ARN
 * @param apiEndpoint   the HTTP API's base URL (output ApiEndpoint)
 * @param functions     each deployed strategy's function, in the order the run selected them
 * @param parameterName name of the SSM parameter
 */
public record DeployedStack(String stackName, String stackId, URI apiEndpoint, Map<Strategy, DeployedFunction> functions,
                            String parameterName) {

    public DeployedStack {
        functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    }

    /**
     * One strategy's function (outputs {@code <Strategy>FunctionName} and {@code <Strategy>AliasArn}).
     *
     * @param functionName the function's name
     * @param aliasArn     the ARN of its {@code live} alias
     */
    public record DeployedFunction(String functionName, String aliasArn) {
    }

    /** The deployed strategies, in the order the run selected them. */
    public List<Strategy> strategies() {
        return List.copyOf(functions.keySet());
    }

    /** The function of a deployed strategy. */
    public DeployedFunction function(Strategy strategy) {
        DeployedFunction function = functions.get(strategy);
        if (function == null) {
            throw new IllegalArgumentException(strategy.id() + " is not deployed in " + stackName + ": it has "
                    + Strategy.ids(strategies()));
        }
        return function;
    }

    /** The URL of one route, e.g. {@code /eager}, joined to the endpoint the way HTTP API clients do. */
    public URI route(String path) {
        String base = apiEndpoint.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
