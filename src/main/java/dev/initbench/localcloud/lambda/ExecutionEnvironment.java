package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.server.LoopbackServers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.logs.LogStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One execution environment: a JVM running the Lambda runtime interface client against a Runtime API
 * (2018-06-01) served on its own loopback port. It serves one invocation at a time. Its output goes to its own log
 * stream, framed by START/END/REPORT lines in AWS's format.
 */
public final class ExecutionEnvironment {

    /** Lifecycle of an environment. */
    public enum State { INITIALIZING, IDLE, BUSY, STOPPED }

    private static final String RUNTIME_PREFIX = "/2018-06-01/runtime/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final PendingInvocation STOP = new PendingInvocation("", new byte[0], 0, "", "", null);

    static {
        LoopbackServers.disableNagle();
    }

    private final String id = HexFormat.of().formatHex(randomBytes(16));
    private final FunctionVersion function;
    private final Optional<String> provisionedFor;
    private final InitializationType initializationType;
    private final JavaRuntime jdk;
    private final LogStore logs;
    private final String logGroup;
    private final String logStream;
    private final CompletableFuture<Void> initDone = new CompletableFuture<>();
    private final BlockingQueue<PendingInvocation> invocations = new LinkedBlockingQueue<>();
    private final AtomicLong invocationCount = new AtomicLong();
    private final HttpServer runtimeApi;
    private final long startNanos = System.nanoTime();
    private volatile Process process;
    private volatile PendingInvocation current;
    private volatile State state = State.INITIALIZING;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile double initDurationMs;
    private volatile boolean stopping;
    private volatile long peakMemoryMb;

    private ExecutionEnvironment(FunctionVersion function, Optional<String> provisionedFor,
                                 InitializationType initializationType, JavaRuntime jdk, LogStore logs,
                                 Executor runtimeApiExecutor) throws IOException {
        this.function = function;
        this.provisionedFor = provisionedFor;
        this.initializationType = initializationType;
        this.jdk = jdk;
        this.logs = logs;
        this.logGroup = "/aws/lambda/" + function.functionName();
        this.logStream = STREAM_DATE.format(Instant.now()) + "/[" + function.version() + "]" + id;
        this.runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        runtimeApi.setExecutor(runtimeApiExecutor);
        runtimeApi.createContext(RUNTIME_PREFIX, this::serveRuntimeApi);
    }

    /** Starts the environment's Runtime API and JVM; init runs in the background (see {@link #awaitInit}). */
    static ExecutionEnvironment start(FunctionVersion function, Optional<String> provisionedFor,
                                      InitializationType initializationType, JavaRuntime jdk, CloudContext context,
                                      LogStore logs, EnvironmentLauncher launcher, Executor runtimeApiExecutor)
            throws IOException {
        ExecutionEnvironment environment = new ExecutionEnvironment(function, provisionedFor, initializationType,
                jdk, logs, runtimeApiExecutor);
        environment.runtimeApi.start();
        environment.platformLog("INIT_START Runtime Version: " + function.runtime().replace("java", "java:")
                + ".local\tJDK: " + jdk.fullVersion() + " " + jdk.javaHome()
                + jdk.substitution().map(note -> "\tSubstituted: " + note).orElse(""));
        try {
            environment.process = launcher.start(launcher.command(jdk, function, initializationType),
                    environment.variables(context), function.codeDirectory());
        } catch (IOException e) {
            environment.runtimeApi.stop(0);
            throw e;
        }
        environment.captureOutput();
        environment.process.onExit().thenRun(environment::onProcessExit);
        return environment;
    }

    /** The variables AWS sets, then the function's own; AWS_LAMBDA_MAX_CONCURRENCY is never set (see the facts). */
    private Map<String, String> variables(CloudContext context) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PATH", "/usr/local/bin:/usr/bin:/bin:/opt/bin");
        variables.put("LANG", "en_US.UTF-8");
        variables.put("TZ", ":UTC");
        variables.put("_HANDLER", function.handler());
        variables.put("AWS_REGION", context.region());
        variables.put("AWS_DEFAULT_REGION", context.region());
        variables.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        variables.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySizeMb()));
        variables.put("AWS_LAMBDA_FUNCTION_VERSION", function.version());
        variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType.value());
        variables.put("AWS_LAMBDA_LOG_GROUP_NAME", logGroup);
        variables.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        variables.put("AWS_ACCESS_KEY", context.accessKeyId());
        variables.put("AWS_ACCESS_KEY_ID", context.accessKeyId());
        variables.put("AWS_SECRET_ACCESS_KEY", context.secretAccessKey());
        variables.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
        variables.put("LAMBDA_TASK_ROOT", function.codeDirectory().toString());
        variables.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        // Not set by AWS: points the function's SDK clients at the local cloud.
        variables.put("AWS_ENDPOINT_URL", context.endpoint().toString());
        variables.putAll(function.variables());
        return variables;
    }

    /** Waits until the runtime asks for its first invocation. */
    void awaitInit(Duration timeout) throws EnvironmentFailure {
        try {
            initDone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            platformLog(initReport("timeout"));
            stop();
            throw new EnvironmentFailure("Sandbox.Timedout", "Init phase did not complete within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            EnvironmentFailure failure = e.getCause() instanceof EnvironmentFailure f ? f
                    : new EnvironmentFailure("Runtime.Unknown", String.valueOf(e.getCause()));
            platformLog(initReport("error\tError Type: " + failure.errorType()));
            stop();
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new EnvironmentFailure("Runtime.Unknown", "interrupted while waiting for init");
        }
    }

    private String initReport(String status) {
        return String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s",
                (System.nanoTime() - startNanos) / 1e6, status);
    }

    /** Runs one invocation; returns when the runtime answered, failed, or the function's timeout passed. */
    InvocationResult invoke(byte[] event, String invokedFunctionArn, boolean coldStart) {
        String requestId = UUID.randomUUID().toString();
        long timeoutMs = function.timeoutSeconds() * 1000L;
        long invocation = invocationCount.incrementAndGet();
        boolean reportInit = invocation == 1 && initializationType == InitializationType.ON_DEMAND;
        platformLog("START RequestId: " + requestId + " Version: " + function.version());
        long start = System.nanoTime();
        PendingInvocation pending = new PendingInvocation(requestId, event, System.currentTimeMillis() + timeoutMs,
                invokedFunctionArn, traceId(), new CompletableFuture<>());
        invocations.add(pending);
        if (state == State.STOPPED) {
            // Died before the invocation was queued: onProcessExit has already failed what it found.
            pending.outcome().completeExceptionally(new EnvironmentFailure("Runtime.ExitError",
                    "Runtime exited before the invocation was delivered"));
        }
        byte[] payload;
        Optional<String> functionError = Optional.empty();
        boolean timedOut = false;
        try {
            RuntimeOutcome outcome = pending.outcome().get(timeoutMs, TimeUnit.MILLISECONDS);
            payload = outcome.body();
            functionError = outcome.error() ? Optional.of("Unhandled") : Optional.empty();
        } catch (TimeoutException e) {
            timedOut = true;
            String message = String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                    requestId, (double) function.timeoutSeconds());
            platformLog(Instant.now() + " " + message);
            stop();
            payload = errorObject("Sandbox.Timedout", message);
            functionError = Optional.of("Unhandled");
        } catch (ExecutionException e) {
            String message = "RequestId: " + requestId + " Error: " + e.getCause().getMessage();
            platformLog(message);
            payload = errorObject("Runtime.ExitError", message);
            functionError = Optional.of("Unhandled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            payload = errorObject("Runtime.Unknown", "interrupted");
            functionError = Optional.of("Unhandled");
        } finally {
            current = null;
        }
        double durationMs = (System.nanoTime() - start) / 1e6;
        platformLog("END RequestId: " + requestId);
        platformLog(reportLine(requestId, durationMs, reportInit));
        lastUsedNanos = System.nanoTime();
        return new InvocationResult(payload, functionError, function.version(), id, coldStart, timedOut, durationMs);
    }

    private String reportLine(String requestId, double durationMs, boolean withInit) {
        long billed = (long) Math.ceil(durationMs + (withInit ? initDurationMs : 0));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
                        + "Max Memory Used: %d MB\t", requestId, durationMs, billed, function.memorySizeMb(),
                maxMemoryUsedMb()));
        if (withInit) {
            line.append(String.format(Locale.ROOT, "Init Duration: %.2f ms\t", initDurationMs));
        }
        return line.toString();
    }

    /** Peak resident memory of the JVM (VmHWM), as "Max Memory Used"; the last reading once it has ended. */
    private long maxMemoryUsedMb() {
        Process running = process;
        if (running != null && running.isAlive()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(running.pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        peakMemoryMb = Math.max(peakMemoryMb, (kb + 1023) / 1024);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // The process ended between the check and the read: keep the last reading.
            }
        }
        return peakMemoryMb;
    }

    /** Ends the JVM and the Runtime API; idempotent. Waits briefly so callers can rely on the process being gone. */
    void stop() {
        stopping = true;
        state = State.STOPPED;
        invocations.add(STOP);
        Process running = process;
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
            try {
                running.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runtimeApi.stop(0);
        initDone.completeExceptionally(new EnvironmentFailure("Runtime.ExitError", "environment stopped"));
    }

    /** Ends the JVM without waiting (shutdown hook). */
    void kill() {
        stopping = true;
        Process running = process;
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }

    private void onProcessExit() {
        Process exited = process;
        int status = exited.exitValue();
        String description = status > 128 ? "signal: " + signalName(status - 128) : "exit status " + status;
        state = State.STOPPED;
        runtimeApi.stop(0);
        if (!stopping) {
            platformLog("RequestId: " + Optional.ofNullable(current).map(PendingInvocation::requestId).orElse("-")
                    + " Error: Runtime exited with error: " + description + "\nRuntime.ExitError");
        }
        EnvironmentFailure failure = new EnvironmentFailure("Runtime.ExitError",
                "Runtime exited with error: " + description);
        initDone.completeExceptionally(failure);
        PendingInvocation running = current;
        if (running != null) {
            running.outcome().completeExceptionally(failure);
        }
        for (PendingInvocation queued; (queued = invocations.poll()) != null; ) {
            if (queued.outcome() != null) {
                queued.outcome().completeExceptionally(failure);
            }
        }
        invocations.add(STOP);
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "killed";
            case 15 -> "terminated";
            case 6 -> "aborted";
            case 11 -> "segmentation fault";
            default -> "signal " + signal;
        };
    }

    private void captureOutput() {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    logs.append(logGroup, logStream, System.currentTimeMillis(), line);
                }
            } catch (IOException e) {
                // The process ended: nothing more to read.
            }
        }, "lambda-env-output-" + id.substring(0, 8));
        reader.setDaemon(true);
        reader.start();
    }

    private void platformLog(String line) {
        logs.append(logGroup, logStream, System.currentTimeMillis(), line);
    }

    // ---- Runtime API 2018-06-01 ----

    private void serveRuntimeApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(RUNTIME_PREFIX.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
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

    private void next(HttpExchange exchange) throws IOException {
        if (!initDone.isDone()) {
            initDurationMs = (System.nanoTime() - startNanos) / 1e6;
            initFinished();
            initDone.complete(null);
        }
        PendingInvocation invocation;
        try {
            invocation = invocations.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (invocation == STOP) {
            respond(exchange, 500, Map.of(), errorObject("EnvironmentStopped", "the environment is shutting down"));
            return;
        }
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
        ObjectNode error = JSON.createObjectNode().put("errorType", errorType).put("errorMessage", errorMessage);
        return error.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String traceId() {
        byte[] root = randomBytes(12);
        byte[] parent = randomBytes(8);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + HexFormat.of().formatHex(root)
                + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0;Lineage=1:00000000:0";
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    // ---- accessors ----

    String id() {
        return id;
    }

    FunctionVersion function() {
        return function;
    }

    Optional<String> provisionedFor() {
        return provisionedFor;
    }

    State state() {
        return state;
    }

    /** An environment leased before its init finished (on-demand cold start) stays BUSY. */
    private synchronized void initFinished() {
        if (state == State.INITIALIZING) {
            state = State.IDLE;
        }
    }

    synchronized void markBusy() {
        if (state != State.STOPPED) {
            state = State.BUSY;
        }
    }

    synchronized void markIdle() {
        if (state != State.STOPPED) {
            state = State.IDLE;
        }
    }

    boolean alive() {
        Process running = process;
        return state != State.STOPPED && running != null && running.isAlive();
    }

    boolean initialized() {
        return initDone.isDone() && !initDone.isCompletedExceptionally();
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    long pid() {
        Process running = process;
        return running == null ? -1 : running.pid();
    }

    EnvironmentInfo info() {
        return new EnvironmentInfo(id, function.functionName(), function.version(), provisionedFor,
                initializationType, state, pid(), logStream, jdk, invocationCount.get());
    }

    /** A failed init or a dead runtime, with the error object Invoke answers. */
    static final class EnvironmentFailure extends Exception {
        private final String errorType;
        private final byte[] payload;

        EnvironmentFailure(String errorType, String message) {
            super(message);
            this.errorType = errorType;
            this.payload = errorObject(errorType, message);
        }

        EnvironmentFailure(String errorType, byte[] runtimePayload) {
            super(new String(runtimePayload, StandardCharsets.UTF_8));
            this.errorType = errorType;
            this.payload = runtimePayload;
        }

        String errorType() {
            return errorType;
        }

        byte[] payload() {
            return payload;
        }
    }

    private record PendingInvocation(String requestId, byte[] event, long deadlineEpochMs, String invokedFunctionArn,
                                     String traceId, CompletableFuture<RuntimeOutcome> outcome) {
    }

    private record RuntimeOutcome(byte[] body, boolean error) {
    }
}
