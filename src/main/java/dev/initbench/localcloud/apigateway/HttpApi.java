package dev.initbench.localcloud.apigateway;

import dev.initbench.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.invoke.FunctionInvoker;
import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.invoke.InvocationThrottledException;
import dev.initbench.localcloud.server.LoopbackServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP API (API Gateway v2, protocol HTTP) served on its own loopback port: routes {@code METHOD /path} (then
 * {@code ANY /path}, then {@code $default}) to Lambda through AWS_PROXY integrations with payload format 2.0.
 */
final class HttpApi {

    /** An AWS_PROXY integration to a Lambda function, version or alias. */
    record Integration(String id, String integrationUri, String functionName, Optional<String> qualifier,
                       int timeoutMillis) {
    }

    /** A route and the integration it targets. */
    record Route(String id, String routeKey, String integrationId) {
    }

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final Pattern LAMBDA_URI = Pattern.compile(
            "^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/(.+)/invocations$");

    static {
        LoopbackServers.disableNagle();
    }

    private final String id;
    private volatile String name;
    private final CloudContext context;
    private final FunctionInvoker lambda;
    private final HttpServer server;
    private final Map<String, Integration> integrations = new ConcurrentHashMap<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Stage> stages = new ConcurrentHashMap<>();
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    private final Duration autoDeployDelay;

    /** What a deployment freezes: the routes and integrations as they were when it was made. */
    record Deployment(String id, Map<String, Route> routes, Map<String, Integration> integrations) {
    }

    /**
     * A stage serves one deployment. {@link StageMode#LIVE} (the management API's shortcut, no CloudFormation
     * property) serves the configuration as it is; {@link StageMode#AUTO_DEPLOY} redeploys after each change, some
     * time later, as AWS does asynchronously; {@link StageMode#EXPLICIT} serves only what a Deployment gave it.
     */
    private static final class Stage {
        final StageMode mode;
        volatile Deployment deployment;

        Stage(StageMode mode, Deployment deployment) {
            this.mode = mode;
            this.deployment = deployment;
        }
    }

    enum StageMode { LIVE, AUTO_DEPLOY, EXPLICIT }

    HttpApi(String id, String name, CloudContext context, FunctionInvoker lambda, Duration autoDeployDelay)
            throws IOException {
        this.autoDeployDelay = autoDeployDelay;
        this.id = id;
        this.name = name;
        this.context = context;
        this.lambda = lambda;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Requests are handled on the server's dispatcher thread and nothing waits for an invocation: its answer
        // is written by the thread that completes it (see respond), so a request costs no thread hand-off.
        server.setExecutor(Runnable::run);
        server.createContext("/", this::serve);
        server.start();
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    void rename(String newName) {
        name = newName;
    }

    /** Plays the role of {@code ApiEndpoint}: {@code http://127.0.0.1:<port>} (AWS: https://{id}.execute-api...). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Integration addIntegration(String integrationId, String uri, int timeoutMillis) {
        Matcher wrapped = LAMBDA_URI.matcher(uri);
        String functionArn = wrapped.matches() ? wrapped.group(1) : uri;
        int colon = functionArn.indexOf(":function:");
        if (colon < 0) {
            throw new IllegalArgumentException("IntegrationUri " + uri + " is not a Lambda function ARN (or its "
                    + "arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations form)");
        }
        String[] parts = functionArn.substring(colon + ":function:".length()).split(":");
        Integration integration = new Integration(integrationId, uri, parts[0],
                parts.length > 1 ? Optional.of(parts[1]) : Optional.empty(), timeoutMillis);
        integrations.put(integrationId, integration);
        changed();
        return integration;
    }

    void removeIntegration(String integrationId) {
        integrations.remove(integrationId);
        changed();
    }

    Route addRoute(String routeId, String routeKey, String integrationId) {
        if (routes.values().stream().anyMatch(route -> route.routeKey().equals(routeKey))) {
            throw new IllegalArgumentException("Route with key " + routeKey + " already exists for this API");
        }
        Route route = new Route(routeId, routeKey, integrationId);
        routes.put(routeId, route);
        changed();
        return route;
    }

    void removeRoute(String routeId) {
        routes.remove(routeId);
        changed();
    }

    void addStage(String stageName) {
        stages.put(stageName, new Stage(StageMode.LIVE, null));
    }

    /** A stage with AutoDeploy (deployed some time after creation and after each change) or a deployment id. */
    void addStage(String stageName, StageMode mode, Optional<String> deploymentId) {
        Deployment deployment = deploymentId.map(d -> Optional.ofNullable(deployments.get(d)).orElseThrow(() ->
                new IllegalArgumentException("Invalid deployment identifier specified: " + d))).orElse(null);
        Stage stage = new Stage(mode, deployment);
        stages.put(stageName, stage);
        if (mode == StageMode.AUTO_DEPLOY) {
            scheduleAutoDeploy(stage);
        }
    }

    /** Freezes the current routes and integrations; with a stage name, that stage serves it from now on. */
    String deploy(String deploymentId, Optional<String> stageName) {
        Deployment deployment = new Deployment(deploymentId, Map.copyOf(routes), Map.copyOf(integrations));
        deployments.put(deploymentId, deployment);
        stageName.ifPresent(name -> Optional.ofNullable(stages.get(name)).orElseThrow(() ->
                new IllegalArgumentException("Invalid stage identifier specified: " + name)).deployment = deployment);
        return deploymentId;
    }

    void removeDeployment(String deploymentId) {
        deployments.remove(deploymentId);
    }

    private void changed() {
        stages.values().stream().filter(stage -> stage.mode == StageMode.AUTO_DEPLOY).forEach(this::scheduleAutoDeploy);
    }

    private void scheduleAutoDeploy(Stage stage) {
        CompletableFuture.runAsync(() -> stage.deployment = new Deployment("auto", Map.copyOf(routes),
                Map.copyOf(integrations)), CompletableFuture.delayedExecutor(autoDeployDelay.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    void removeStage(String stageName) {
        stages.remove(stageName);
    }

    void close() {
        server.stop(0);
    }

    // ---------------------------------------------------------------- data plane

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String requestId = requestId();
        exchange.getResponseHeaders().add("apigw-requestid", requestId);
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        String stage = "$default";
        for (String named : stages.keySet()) {
            if (!named.equals("$default") && (path.equals("/" + named) || path.startsWith("/" + named + "/"))) {
                stage = named;
                path = path.substring(named.length() + 1);
                path = path.isEmpty() ? "/" : path;
            }
        }
        Stage served = stages.get(stage);
        Deployment deployment = served == null ? null : served.mode == StageMode.LIVE
                ? new Deployment("live", routes, integrations) : served.deployment;
        if (deployment == null) {
            // No stage, or one that nothing was deployed to yet.
            notFound(exchange);
            return;
        }
        String method = exchange.getRequestMethod();
        String routedPath = path;
        Map<String, Route> deployed = deployment.routes();
        Optional<Route> route = route(deployed, method + " " + routedPath)
                .or(() -> route(deployed, "ANY " + routedPath)).or(() -> route(deployed, "$default"));
        Optional<Integration> integration = route.map(r -> deployment.integrations().get(r.integrationId()));
        if (integration.isEmpty()) {
            notFound(exchange);
            return;
        }
        byte[] event = event(exchange, route.get().routeKey(), stage, body, requestId);
        invoke(exchange, integration.get(), event);
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        try (exchange) {
            message(exchange, 404, "Not Found");
        }
    }

    private static Optional<Route> route(Map<String, Route> routes, String routeKey) {
        return routes.values().stream().filter(route -> route.routeKey().equals(routeKey)).findFirst();
    }

    /**
     * Starts the invocation and returns: the client is answered by whichever comes first, the invocation's outcome
     * (on the thread that completes it) or the integration's timeout. Past the timeout the function keeps running,
     * as on AWS; only the client is answered (503).
     */
    private void invoke(HttpExchange exchange, Integration integration, byte[] event) {
        CompletableFuture<InvocationResult> invocation;
        try {
            invocation = lambda.invokeAsync(integration.functionName(), integration.qualifier(), event);
        } catch (RuntimeException e) {
            answer(exchange, null, e);
            return;
        }
        invocation.copy().orTimeout(integration.timeoutMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, failure) -> answer(exchange, result, failure));
    }

    /** Answers the client from the invocation's result, or from why there is none; then ends the exchange. */
    private static void answer(HttpExchange exchange, InvocationResult result, Throwable failure) {
        try (exchange) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                message(exchange, 503, "Service Unavailable");
            } else if (cause instanceof InvocationThrottledException) {
                message(exchange, 429, "Too Many Requests");
            } else if (cause != null) {
                message(exchange, 500, "Internal Server Error");
            } else {
                respond(exchange, result);
            }
        } catch (IOException e) {
            // The client has gone: nobody to answer.
        }
    }

    private static void respond(HttpExchange exchange, InvocationResult result) throws IOException {
        if (result.functionError().isPresent()) {
            message(exchange, 500, "Internal Server Error");
            return;
        }
        JsonNode output;
        try {
            output = Json.READER.readTree(result.payload());
        } catch (IOException e) {
            message(exchange, 500, "Internal Server Error");
            return;
        }
        if (output == null || !output.isObject() || !output.has("statusCode")) {
            // Payload 2.0 without statusCode: 200, JSON, the output itself (a JSON string unquoted).
            byte[] body = output != null && output.isTextual() ? output.asText().getBytes(StandardCharsets.UTF_8)
                    : result.payload();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            send(exchange, 200, body);
            return;
        }
        int status = output.get("statusCode").asInt(0);
        if (status < 100 || status > 599) {
            message(exchange, 500, "Internal Server Error");
            return;
        }
        output.path("headers").fields().forEachRemaining(header ->
                exchange.getResponseHeaders().add(header.getKey(), header.getValue().asText()));
        output.path("cookies").forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie.asText()));
        String text = output.path("body").isMissingNode() || output.path("body").isNull() ? ""
                : output.path("body").isTextual() ? output.path("body").asText() : output.path("body").toString();
        byte[] body = output.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text)
                : text.getBytes(StandardCharsets.UTF_8);
        send(exchange, status, body);
    }

    /** The payload format 2.0 event. */
    private byte[] event(HttpExchange exchange, String routeKey, String stage, byte[] body, String requestId) {
        ObjectNode event = Json.object()
                .put("version", "2.0")
                .put("routeKey", routeKey)
                .put("rawPath", exchange.getRequestURI().getRawPath())
                .put("rawQueryString", Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
        List<String> cookies = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(value -> cookies.addAll(List.of(value.split(";\\s*"))));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.merge("x-forwarded-for", sourceIp, (previous, ip) -> previous + ", " + ip);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(server.getAddress().getPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String host = headers.getOrDefault("host", "127.0.0.1");
        ObjectNode requestContext = event.putObject("requestContext")
                .put("accountId", context.accountId())
                .put("apiId", id)
                .put("domainName", host)
                .put("domainPrefix", host.split("[.:]")[0]);
        requestContext.putObject("http")
                .put("method", exchange.getRequestMethod())
                .put("path", exchange.getRequestURI().getPath())
                .put("protocol", exchange.getProtocol())
                .put("sourceIp", sourceIp)
                .put("userAgent", headers.getOrDefault("user-agent", ""));
        requestContext.put("requestId", requestId)
                .put("routeKey", routeKey)
                .put("stage", stage)
                .put("time", REQUEST_TIME.format(now))
                .put("timeEpoch", now.toInstant().toEpochMilli());
        if (body.length > 0) {
            boolean text = isText(headers.get("content-type"));
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Bodies of these media types are passed as text; all others base64-encoded. */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.contains("x-www-form-urlencoded");
    }

    /** Query parameters; repeated keys comma-joined, as payload 2.0 does. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.merge(key, value, (previous, next) -> previous + "," + next);
        }
        return query;
    }

    private static void message(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, status, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    /** Shaped like HTTP API request ids (10 random bytes, base64). */
    private static String requestId() {
        byte[] bytes = new byte[10];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).replace('+', 'A').replace('/', 'B');
    }
}
