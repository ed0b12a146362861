package dev.initbench.localcloud.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.initbench.json.Json;
import dev.initbench.localcloud.server.LoopbackServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One environment's Lambda Runtime API (2018-06-01) on its own loopback port: hands queued invocations to the
 * runtime's {@code invocation/next}, and completes them from its {@code response} and {@code error} calls. Knows
 * nothing of the environment's lifecycle: it reports init (the first {@code next}) through {@link #initDone()}, and
 * the moments the environment is frozen, thawed and measured at through its {@link Hooks}.
 *
 * <p>No thread waits per request: requests are handled on the server's dispatcher thread, a {@code next} with no
 * invocation queued is parked (not answered) and {@link #deliver} answers it on the delivering thread, and an
 * invocation's outcome completes on the dispatcher thread that received the runtime's answer, before the runtime's
 * answer is acknowledged (so whatever continues from the outcome, such as the front door's response, goes first).
 */
final class RuntimeApiServer {

    /** The moments of the runtime's conversation its environment acts on; called on the Runtime API's threads. */
    interface Hooks {
        /** The runtime's first {@code next}: init has ended (called before {@link #initDone()} completes). */
        void initEnded();

        /** The runtime asks for work and none is queued: it waits from now on (where Lambda freezes). */
        void waitingForWork();

        /** {@code invocation} is about to be handed to the runtime (where Lambda thaws). */
        void delivering(PendingInvocation invocation);

        /** The runtime has answered {@code invocation}; called before its answer is acknowledged. */
        void answered(PendingInvocation invocation);
    }

    private static final String RUNTIME_PREFIX = "/2018-06-01/runtime/";
    /** What {@code next} gets once the server is closed. */
    private static final PendingInvocation STOPPED = new PendingInvocation("", new byte[0], 0, "", "", null);

    static {
        LoopbackServers.disableNagle();
    }

    private final HttpServer server;
    private final Hooks hooks;
    private final CompletableFuture<Long> initDone = new CompletableFuture<>();
    /** Guarded by {@code this}: invocations not yet handed over, and the runtime's unanswered {@code next}. */
    private final Queue<PendingInvocation> invocations = new ArrayDeque<>();
    private HttpExchange parkedNext;
    private boolean closed;
    private volatile PendingInvocation current;

    RuntimeApiServer(Hooks hooks) throws IOException {
        this.hooks = hooks;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Runnable::run); // on the dispatcher thread: no hand-off per request
        server.createContext(RUNTIME_PREFIX, this::serve);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Completes with {@link System#nanoTime()} of the runtime's first {@code next}; exceptionally on init/error. */
    CompletableFuture<Long> initDone() {
        return initDone;
    }

    /**
     * Hands an invocation to the runtime: answers its waiting {@code next} on this thread (thawing the environment
     * first), else queues it for the next {@code next}; once closed, fails it at once with what {@code failure} gives.
     */
    void deliver(PendingInvocation invocation, Supplier<EnvironmentFailure> failure) {
        HttpExchange waiting;
        synchronized (this) {
            if (closed) {
                invocation.outcome().completeExceptionally(failure.get());
                return;
            }
            waiting = parkedNext;
            parkedNext = null;
            if (waiting == null) {
                invocations.add(invocation);
                return;
            }
        }
        try (waiting) {
            handOver(waiting, invocation);
        } catch (IOException e) {
            // The runtime's connection is gone: its process is ending, which fails the invocation.
        }
    }

    /** The request id being run, if any. */
    Optional<String> currentRequestId() {
        return Optional.ofNullable(current).map(PendingInvocation::requestId);
    }

    /** The invocation's caller has its outcome (or gave up): the runtime can no longer answer it. */
    void finished(PendingInvocation invocation) {
        if (current == invocation) {
            current = null;
        }
    }

    /** Stops serving; init, the running invocation and queued ones fail with {@code failure}. Idempotent. */
    void close(EnvironmentFailure failure) {
        List<PendingInvocation> queued;
        HttpExchange waiting;
        synchronized (this) {
            closed = true;
            queued = List.copyOf(invocations);
            invocations.clear();
            waiting = parkedNext;
            parkedNext = null;
        }
        if (waiting != null) {
            try (waiting) {
                respond(waiting, 500, Map.of(), errorObject("EnvironmentStopped", "the environment is shutting down"));
            } catch (IOException e) {
                // The runtime is gone already: nothing to tell it.
            }
        }
        server.stop(0);
        initDone.completeExceptionally(failure);
        PendingInvocation running = current;
        if (running != null) {
            running.outcome().completeExceptionally(failure);
        }
        queued.forEach(invocation -> invocation.outcome().completeExceptionally(failure));
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(RUNTIME_PREFIX.length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        if (method.equals("GET") && path.equals("invocation/next")) {
            next(exchange); // answers now, or parks the exchange for deliver() or close() to answer
            return;
        }
        try (exchange) {
            if (method.equals("POST") && path.equals("init/error")) {
                String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                initDone.completeExceptionally(new EnvironmentFailure(errorType == null ? "Runtime.Unknown"
                        : errorType, body));
                accepted(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(exchange, path, "/response", new RuntimeOutcome(body, false));
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(exchange, path, "/error", new RuntimeOutcome(body, true));
            } else {
                respond(exchange, 404, Map.of(), errorObject("InvalidRequest", "unknown Runtime API path " + path));
            }
        }
    }

    /**
     * The runtime asks for work: the first ask ends init; with nothing queued the environment is frozen (before
     * the ask becomes visible to {@link #deliver}, so a delivery always thaws after the freeze) and the ask parked.
     */
    private void next(HttpExchange exchange) throws IOException {
        if (!initDone.isDone()) {
            hooks.initEnded();
        }
        initDone.complete(System.nanoTime());
        PendingInvocation invocation = queued(null);
        if (invocation == null) {
            hooks.waitingForWork();
            invocation = queued(exchange);
        }
        if (invocation == null) {
            return; // parked
        }
        try (exchange) {
            if (invocation == STOPPED) {
                respond(exchange, 500, Map.of(), errorObject("EnvironmentStopped", "the environment is shutting down"));
            } else {
                handOver(exchange, invocation);
            }
        }
    }

    /** The first queued invocation, {@link #STOPPED} once closed, else null (then parks {@code parkIfNone}). */
    private synchronized PendingInvocation queued(HttpExchange parkIfNone) {
        if (closed) {
            return STOPPED;
        }
        PendingInvocation queued = invocations.poll();
        if (queued == null && parkIfNone != null) {
            parkedNext = parkIfNone;
        }
        return queued;
    }

    /** Thaws the environment and answers the runtime's {@code next} with the invocation. */
    private void handOver(HttpExchange exchange, PendingInvocation invocation) throws IOException {
        hooks.delivering(invocation);
        current = invocation;
        Map<String, String> headers = new LinkedHashMap<>();
        // The runtime client's native code crashes the JVM when Content-Type is missing.
        headers.put("Content-Type", "application/json");
        headers.put("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMs()));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedFunctionArn());
        headers.put("Lambda-Runtime-Trace-Id", invocation.traceId());
        respond(exchange, 200, headers, invocation.event());
    }

    private void complete(HttpExchange exchange, String path, String suffix, RuntimeOutcome outcome)
            throws IOException {
        String requestId = path.substring("invocation/".length(), path.length() - suffix.length());
        PendingInvocation running = current;
        if (running == null || !running.requestId().equals(requestId)) {
            respond(exchange, 400, Map.of(), errorObject("InvalidRequestID", "no invocation " + requestId
                    + " is running in this environment"));
            return;
        }
        hooks.answered(running);
        running.outcome().complete(outcome);
        accepted(exchange);
    }

    private static void accepted(HttpExchange exchange) throws IOException {
        respond(exchange, 202, Map.of(), "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    static byte[] errorObject(String errorType, String errorMessage) {
        ObjectNode error = Json.object().put("errorType", errorType).put("errorMessage", errorMessage);
        return error.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An invocation handed to the runtime. */
    record PendingInvocation(String requestId, byte[] event, long deadlineEpochMs, String invokedFunctionArn,
                             String traceId, CompletableFuture<RuntimeOutcome> outcome) {
    }

    /** What the runtime answered: its response, or its error object. */
    record RuntimeOutcome(byte[] body, boolean error) {
    }
}
