package dev.initbench.functions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lambda Runtime API (2018-06-01) of one execution environment on loopback, for tests that run a function
 * under a real runtime interface client: {@code GET /runtime/invocation/next} hands out the events given to
 * {@link #invoke}, {@code POST /runtime/invocation/<id>/response} and {@code /error} complete them, and
 * {@code POST /runtime/init/error} is recorded.
 */
final class StandInRuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    /** How an invocation ended. */
    enum OutcomeKind { RESPONSE, ERROR }

    /** What the runtime posted for one invocation. */
    record Outcome(OutcomeKind kind, String body) {
    }

    private record PendingEvent(String requestId, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<PendingEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> nextRequests = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final List<String> initErrors = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    StandInRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Waits until the runtime asks for its next event, i.e. until init has ended (for the first call) or the
     * previous invocation has been answered; returns {@link System#nanoTime()} of that request.
     */
    long awaitNextRequest(Duration timeout) throws InterruptedException, TimeoutException {
        Long at = nextRequests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (at == null) {
            throw new TimeoutException("the runtime did not ask for an invocation within " + timeout
                    + "; init errors: " + initErrors);
        }
        return at;
    }

    /**
     * Queues one event for the runtime and waits for what it posts back, failing as soon as the runtime's
     * process is gone.
     */
    Outcome invoke(String event, Duration timeout, Process runtime) throws Exception {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        outcomes.put(requestId, outcome);
        events.add(new PendingEvent(requestId, event));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return outcome.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!runtime.isAlive() && !outcome.isDone()) {
                    throw new IllegalStateException("the runtime exited with " + runtime.exitValue()
                            + " before answering invocation " + requestId + "; init errors: " + initErrors);
                }
            }
        }
        throw new TimeoutException("no response for invocation " + requestId + " within " + timeout
                + "; init errors: " + initErrors);
    }

    List<String> initErrors() {
        return initErrors;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initErrors.add(body);
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
                CompletableFuture<Outcome> outcome = outcomes.remove(requestId);
                if (outcome == null) {
                    send(exchange, 400, "{\"errorMessage\":\"unknown request id " + requestId + "\"}");
                    return;
                }
                outcome.complete(new Outcome(path.endsWith("/response") ? OutcomeKind.RESPONSE : OutcomeKind.ERROR,
                        body));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                send(exchange, 404, "{\"errorMessage\":\"no such Runtime API resource: " + method + " " + path + "\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void next(HttpExchange exchange) throws IOException, InterruptedException {
        nextRequests.add(System.nanoTime());
        PendingEvent event = null;
        while (event == null && !closed) {
            event = events.poll(100, TimeUnit.MILLISECONDS);
        }
        if (event == null) {
            return;
        }
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", event.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                Long.toString(System.currentTimeMillis() + 30_000));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:000000000000:function:node-standalone");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                "Root=1-00000000-000000000000000000000000;Sampled=0");
        send(exchange, 200, event.body());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
