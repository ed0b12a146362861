package dev.initbench.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP API (payload format 2.0) function that answers with its SSM parameter's value and with the facts the
 * benchmark needs to attribute each request's latency: which execution environment served it, how that
 * environment was initialized, whether this was its first invocation, and where the parameter fetch was paid.
 *
 * <p>The Lambda runtime constructs one handler instance per execution environment, during the init phase, so
 * everything done in the constructor is init work that provisioned concurrency performs ahead of traffic.
 * {@link Strategy#EAGER} fetches the parameter there; {@link Strategy#LAZY} fetches it on the environment's
 * first invocation; {@link Strategy#ASYNC} starts the fetch there on another thread and joins it on the first
 * invocation (the Java analog of the sample's CommonJS function, which starts the promise at init and awaits it in
 * the handler).
 *
 * <p>Response fields: {@code function}, {@code parameterName}, {@code value}, {@code initializationType}
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE}), {@code environmentId} (random, fixed for the environment's life),
 * {@code logStreamName}, {@code awsRequestId}, {@code invocation} (1-based count in this environment),
 * {@code firstInvocation}, {@code setupPhase} ({@code init}, {@code invocation} or {@code init-started}: where the
 * client was built and the parameter fetched), {@code initDurationMs} (the handler's own init work),
 * {@code clientBuildMs}, {@code fetchDurationMs}, {@code setupInThisInvocationMs} (client build plus fetch paid by
 * this invocation, or for {@code init-started} the time it waited for the fetch started at init; 0 when none),
 * for {@code init-started} only {@code initFetchSettledBeforeInvocation} (whether that fetch had finished when the
 * invocation began) and {@code awaitedInInvocationMs} (the time waited for it), {@code setupAttempts} and
 * {@code setupEarlierFailures} (how many fetches the setup took: eager retries at init, and why the earlier ones
 * failed), then {@code heldMs}. A failed
 * fetch answers 500 with {@code error}, {@code errorType} (exception class), {@code errorCode} (AWS error code when
 * there is one) and {@code parameterName}, never a stack trace.
 *
 * <p>The optional query parameter {@code holdMs} (0 to {@value #MAX_HOLD_MS}) keeps the environment busy that long
 * before answering: the benchmark's scale-out burst uses it so its requests overlap at the function and need more
 * environments than are provisioned, however fast the client is. Any other value answers 400.
 */
public abstract class ParameterFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Where the expensive work is done. */
    public enum Strategy {
        /** During the init phase, i.e. ahead of traffic under provisioned concurrency. */
        EAGER("eager-init", "init"),
        /** On the first invocation of each execution environment. */
        LAZY("lazy-init", "invocation"),
        /**
         * Started on another thread during the init phase, which does not wait for it; the first invocation waits
         * for whatever is left of it.
         */
        ASYNC("async-init", "init-started");

        private final String functionName;
        private final String setupPhase;

        Strategy(String functionName, String setupPhase) {
            this.functionName = functionName;
            this.setupPhase = setupPhase;
        }

        /** Where the work is done, as the responses' {@code setupPhase} reports it. */
        public String setupPhase() {
            return setupPhase;
        }

        /** The name the function reports in its responses. */
        public String functionName() {
            return functionName;
        }
    }

    /** Upper bound of {@code holdMs}, well inside the template's function timeout. */
    public static final int MAX_HOLD_MS = 10_000;

    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

    private final Strategy strategy;
    private final ParameterSource source;
    private final String environmentId = UUID.randomUUID().toString();
    private final String initializationType = environmentOr("AWS_LAMBDA_INITIALIZATION_TYPE", "unknown");
    private final String logStreamName = environmentOr("AWS_LAMBDA_LOG_STREAM_NAME", "");
    private final AtomicLong invocations = new AtomicLong();
    private final double initDurationMs;
    private final Object loadLock = new Object();
    private volatile ParameterLoad load;
    /** The fetch {@link Strategy#ASYNC} starts during init; null for the other strategies. */
    private final CompletableFuture<ParameterLoad> initStartedLoad;

    protected ParameterFunction(Strategy strategy, ParameterSource source) {
        long start = System.nanoTime();
        this.strategy = strategy;
        this.source = source;
        if (strategy == Strategy.EAGER) {
            // Transient failures are retried (bounded). A failure that persists is kept, logged and answered as 500
            // on every request instead of failing init: rethrowing would make Lambda discard the environment and
            // hide the cause behind a generic error. Never a silent fall-back to fetching per request.
            load = ParameterLoad.performWithRetries(source, source.initRetry());
        }
        // Like EAGER, a failure of this fetch is kept and answered as 500 on every request.
        initStartedLoad = strategy == Strategy.ASYNC ? startLoadInBackground(source) : null;
        initDurationMs = (System.nanoTime() - start) / 1_000_000.0;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long invocation = invocations.incrementAndGet();
        String hold = event == null || event.getQueryStringParameters() == null ? null
                : event.getQueryStringParameters().get("holdMs");
        long holdMs;
        try {
            holdMs = hold == null ? 0 : Long.parseLong(hold);
        } catch (NumberFormatException e) {
            holdMs = -1;
        }
        if (holdMs < 0 || holdMs > MAX_HOLD_MS) {
            return response(400, new JsonObjectWriter().put("function", strategy.functionName())
                    .put("error", "holdMs must be a whole number of milliseconds from 0 to " + MAX_HOLD_MS
                            + ", got '" + hold + "'"));
        }
        LoadForInvocation loaded = loadForInvocation();
        ParameterLoad current = loaded.load();

        JsonObjectWriter body = new JsonObjectWriter()
                .put("function", strategy.functionName())
                .put("parameterName", current.parameterName());
        int status;
        if (current.succeeded()) {
            status = 200;
            body.put("value", current.value());
        } else {
            status = 500;
            body.put("error", "could not read SSM parameter " + current.parameterName()
                            + (current.attempts() > 1 ? " (" + current.attempts() + " attempts during init)" : "") + ": "
                            + current.errorMessage())
                    .put("errorType", current.errorType())
                    .put("errorCode", current.errorCode());
        }
        body.put("initializationType", initializationType)
                .put("environmentId", environmentId)
                .put("logStreamName", logStreamName)
                .put("awsRequestId", context == null ? null : context.getAwsRequestId())
                .put("invocation", invocation)
                .put("firstInvocation", invocation == 1)
                .put("setupPhase", strategy.setupPhase())
                .put("initDurationMs", initDurationMs)
                .put("clientBuildMs", current.clientBuildMs())
                .put("fetchDurationMs", current.fetchMs())
                .put("setupInThisInvocationMs", loaded.setupInThisInvocationMs())
                .put("setupAttempts", current.attempts())
                .put("setupEarlierFailures", String.join(", ", current.earlierFailures()));
        if (strategy == Strategy.ASYNC) {
            body.put("initFetchSettledBeforeInvocation", loaded.settledBeforeInvocation())
                    .put("awaitedInInvocationMs", loaded.setupInThisInvocationMs());
        }
        body.put("heldMs", holdMs);
        if (holdMs > 0) {
            try {
                Thread.sleep(holdMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return response(status, body);
    }

    private static APIGatewayV2HTTPResponse response(int status, JsonObjectWriter body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(JSON_HEADERS)
                .withBody(body.toJson())
                .build();
    }

    /**
     * The load this invocation answers from. The lazy strategy performs it once per environment (again after a
     * failure), under a lock so overlapping invocations never fetch twice.
     */
    private LoadForInvocation loadForInvocation() {
        if (strategy == Strategy.ASYNC) {
            boolean settled = initStartedLoad.isDone();
            long start = System.nanoTime();
            ParameterLoad joined = initStartedLoad.join();
            return new LoadForInvocation(joined, settled ? 0 : (System.nanoTime() - start) / 1_000_000.0, settled);
        }
        ParameterLoad current = load;
        if (current != null && (current.succeeded() || strategy == Strategy.EAGER)) {
            return LoadForInvocation.paidBefore(current);
        }
        synchronized (loadLock) {
            current = load;
            if (current != null && current.succeeded()) {
                return LoadForInvocation.paidBefore(current);
            }
            load = ParameterLoad.perform(source);
            return new LoadForInvocation(load, load.totalMs(), false);
        }
    }

    private static CompletableFuture<ParameterLoad> startLoadInBackground(ParameterSource source) {
        CompletableFuture<ParameterLoad> started = new CompletableFuture<>();
        Thread fetch = new Thread(() -> {
            try {
                started.complete(ParameterLoad.perform(source));
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        }, "async-init-parameter-fetch");
        // Must not keep a JVM alive whose runtime is shutting down.
        fetch.setDaemon(true);
        fetch.start();
        return started;
    }

    /**
     * The load an invocation answers from, the setup time it paid for it and, for {@link Strategy#ASYNC}, whether
     * the fetch started at init had finished when it began.
     */
    private record LoadForInvocation(ParameterLoad load, double setupInThisInvocationMs,
                                     boolean settledBeforeInvocation) {
        static LoadForInvocation paidBefore(ParameterLoad load) {
            return new LoadForInvocation(load, 0, true);
        }
    }

    private static String environmentOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
