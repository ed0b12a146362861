package dev.initbench.localcloud.apigateway;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.invoke.FunctionInvoker;
import dev.initbench.localcloud.resource.ResourceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * API Gateway HTTP APIs of the local cloud: each API is served on its own loopback port (its {@code ApiEndpoint})
 * and proxies routes to Lambda with payload format 2.0. Created through CloudFormation ({@link #resourceProviders()});
 * there is no API Gateway management API. Thread-safe.
 */
public final class HttpApiService implements AutoCloseable {

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final CloudContext context;
    private final FunctionInvoker lambda;
    private final Map<String, HttpApi> apis = new ConcurrentHashMap<>();

    private final Duration autoDeployDelay;

    /** Auto-deploying stages deploy at once (for direct use in tests of the data plane). */
    public HttpApiService(CloudContext context, FunctionInvoker lambda) {
        this(context, lambda, Duration.ZERO);
    }

    /**
     * @param autoDeployDelay how long after a change an {@code AutoDeploy} stage serves it: AWS deploys such
     *                        stages asynchronously, so a request right after a route is created may get 404
     */
    /** @param lambda the port through which routes invoke their functions */
    public HttpApiService(CloudContext context, FunctionInvoker lambda, Duration autoDeployDelay) {
        this.context = Objects.requireNonNull(context, "context");
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.autoDeployDelay = Objects.requireNonNull(autoDeployDelay, "autoDeployDelay");
    }

    /** Providers of AWS::ApiGatewayV2::Api, Integration, Route and Stage. */
    public List<ResourceProvider> resourceProviders() {
        return ApiGatewayResourceProviders.all(this);
    }

    /** Creates an HTTP API and starts serving it; returns its id. */
    public String createApi(String name) {
        String id = randomId(10);
        try {
            apis.put(id, new HttpApi(id, name, context, lambda, autoDeployDelay));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port for HTTP API " + name, e);
        }
        return id;
    }

    /** The API's endpoint, {@code http://127.0.0.1:<port>}. */
    public String apiEndpoint(String apiId) {
        return api(apiId).endpoint();
    }

    /** Ids of the APIs being served. */
    public List<String> apiIds() {
        return List.copyOf(apis.keySet());
    }

    public void deleteApi(String apiId) {
        HttpApi api = apis.remove(apiId);
        if (api != null) {
            api.close();
        }
    }

    /** Adds an AWS_PROXY integration to a Lambda function, version or alias; returns its id. */
    public String createIntegration(String apiId, String integrationUri, int timeoutMillis) {
        requireTimeout(timeoutMillis);
        return api(apiId).addIntegration(randomId(7), integrationUri, timeoutMillis).id();
    }

    /** UpdateApi of the name (the endpoint stays). */
    public void renameApi(String apiId, String name) {
        api(apiId).rename(name);
    }

    /** UpdateIntegration: the same id now targets {@code integrationUri} with this timeout. */
    public void updateIntegration(String apiId, String integrationId, String integrationUri, int timeoutMillis) {
        requireTimeout(timeoutMillis);
        api(apiId).addIntegration(integrationId, integrationUri, timeoutMillis);
    }

    /** UpdateRoute: the same id now has this key and target (a malformed key or target is refused first). */
    public void updateRoute(String apiId, String routeId, String routeKey, String target) {
        HttpApi api = api(apiId);
        requireRoute(routeKey, target);
        synchronized (api) {
            api.removeRoute(routeId);
            api.addRoute(routeId, routeKey, target.substring("integrations/".length()));
        }
    }

    public void deleteIntegration(String apiId, String integrationId) {
        find(apiId).ifPresent(api -> api.removeIntegration(integrationId));
    }

    /** Adds a route ({@code GET /path}, {@code ANY /path} or {@code $default}) to {@code integrations/<id>}. */
    public String createRoute(String apiId, String routeKey, String target) {
        requireRoute(routeKey, target);
        return api(apiId).addRoute(randomId(7), routeKey, target.substring("integrations/".length())).id();
    }

    private static void requireTimeout(int timeoutMillis) {
        if (timeoutMillis < 50 || timeoutMillis > 30_000) {
            throw new IllegalArgumentException("TimeoutInMillis must be between 50 and 30000 for an HTTP API, was "
                    + timeoutMillis);
        }
    }

    private static void requireRoute(String routeKey, String target) {
        if (!routeKey.equals("$default") && !routeKey.matches("[A-Z]+ /\\S*")) {
            throw new IllegalArgumentException("RouteKey " + routeKey + " must be $default or 'METHOD /path'");
        }
        if (target == null || !target.startsWith("integrations/")) {
            throw new IllegalArgumentException("Target " + target + " must be integrations/<IntegrationId>");
        }
    }

    public void deleteRoute(String apiId, String routeId) {
        find(apiId).ifPresent(api -> api.removeRoute(routeId));
    }

    public void createStage(String apiId, String stageName) {
        api(apiId).addStage(stageName);
    }

    /**
     * A stage as CloudFormation creates it: {@code AutoDeploy} (served some time after each change) or the given
     * deployment, or neither (404 until a deployment names the stage).
     */
    public void createStage(String apiId, String stageName, boolean autoDeploy, Optional<String> deploymentId) {
        if (autoDeploy && deploymentId.isPresent()) {
            throw new IllegalArgumentException("DeploymentId cannot be set on a stage with AutoDeploy enabled");
        }
        api(apiId).addStage(stageName, autoDeploy ? HttpApi.StageMode.AUTO_DEPLOY : HttpApi.StageMode.EXPLICIT,
                deploymentId);
    }

    /** Freezes the API's routes and integrations into a deployment (and puts it on the stage, if named). */
    public String createDeployment(String apiId, Optional<String> stageName) {
        return api(apiId).deploy(randomId(6), stageName);
    }

    public void deleteDeployment(String apiId, String deploymentId) {
        find(apiId).ifPresent(api -> api.removeDeployment(deploymentId));
    }

    public void deleteStage(String apiId, String stageName) {
        find(apiId).ifPresent(api -> api.removeStage(stageName));
    }

    /** Stops serving every API; idempotent. */
    @Override
    public void close() {
        apis.values().forEach(HttpApi::close);
        apis.clear();
    }

    private HttpApi api(String apiId) {
        return find(apiId).orElseThrow(() -> new IllegalArgumentException("Invalid API identifier specified "
                + context.accountId() + ":" + apiId));
    }

    private Optional<HttpApi> find(String apiId) {
        return Optional.ofNullable(apis.get(apiId));
    }

    private static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
