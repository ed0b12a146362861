package dev.initbench.bench.deploy;

import java.net.URI;

/**
 * A stack created from template.yaml, with its outputs.
 *
 * @param stackName         the unique stack name
 * @param stackId           its ARN
 * @param apiEndpoint       the HTTP API's base URL (output ApiEndpoint)
 * @param eagerFunctionName name of the eager-init function
 * @param lazyFunctionName  name of the lazy-init function
 * @param eagerAliasArn     ARN of eager-init's live alias
 * @param lazyAliasArn      ARN of lazy-init's live alias
 * @param parameterName     name of the SSM parameter
 */
public record DeployedStack(String stackName, String stackId, URI apiEndpoint, String eagerFunctionName,
                            String lazyFunctionName, String eagerAliasArn, String lazyAliasArn,
                            String parameterName) {

    /** The URL of one route, e.g. {@code /eager}, joined to the endpoint the way HTTP API clients do. */
    public URI route(String path) {
        String base = apiEndpoint.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
