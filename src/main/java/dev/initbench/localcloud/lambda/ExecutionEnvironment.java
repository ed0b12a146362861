package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.invoke.InvocationResult;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One execution environment as a mechanism: a runtime process ({@link EnvironmentProcess}) talking to its own
 * Runtime API ({@link RuntimeApiServer}), writing to its own log stream ({@link PlatformLog}). It serves one
 * invocation at a time. It has no lifecycle state of its own: {@link EnvironmentPool} decides when it is idle,
 * busy or ended, and this class only reports what happened (init done or failed, an invocation's outcome, the
 * process's end).
 */
final class ExecutionEnvironment {

    /** Told once when the process has ended, requested or not (after pending work was failed). */
    interface ExitListener {
        void exited(ExecutionEnvironment environment, EnvironmentProcess.Exit exit);
    }

    /**
     * One invocation's result, and why the environment must not serve another one (timed out, runtime gone,
     * interrupted) when it must not.
     */
    record Invoked(InvocationResult result, Optional<String> unusableBecause) {
    }

    private final String id = HexFormat.of().formatHex(randomBytes(16));
    private final EnvironmentSpec spec;
    private final PlatformLog log;
    private final RuntimeApiServer runtimeApi;
    private final long startNanos = System.nanoTime();
    private final AtomicLong invocationCount = new AtomicLong();
    private volatile EnvironmentProcess process;
    private volatile ProcessStats stats;
    private volatile double initDurationMs;

    private ExecutionEnvironment(EnvironmentSpec spec, EnvironmentHost host) throws IOException {
        this.spec = spec;
        this.log = new PlatformLog(host.logs(), spec.function(), id);
        this.runtimeApi = new RuntimeApiServer(host.runtimeApiThreads());
    }

    /** Starts the Runtime API and the runtime process; init runs in the background (see {@link #awaitInit}). */
    static ExecutionEnvironment start(EnvironmentSpec spec, EnvironmentHost host, ExitListener onExit)
            throws IOException {
        ExecutionEnvironment environment = new ExecutionEnvironment(spec, host);
        environment.runtimeApi.start();
        PreparedRuntime runtime = spec.runtime();
        environment.log.initStart(runtime.initStartDescription(spec.function()));
        PreparedRuntime.ProcessLaunch launch = runtime.launch(spec.function(), spec.initializationType());
        try {
            environment.process = EnvironmentProcess.start(host.launcher(), new PreparedRuntime.ProcessLaunch(
                            launch.command(), ReservedVariables.of(spec, environment.log, host.context(),
                            environment.runtimeApi.port(), launch.variables())),
                    spec.function().codeDirectory(), environment.log, exit -> environment.processExited(exit, onExit));
        } catch (IOException e) {
            environment.runtimeApi.close(new EnvironmentFailure("Runtime.Unknown", e.getMessage()));
            throw e;
        }
        environment.stats = new ProcessStats(environment.process.pid());
        return environment;
    }

    /** Waits until the runtime asks for its first invocation; logs INIT_REPORT when init fails or times out. */
    void awaitInit(Duration timeout) throws EnvironmentFailure {
        try {
            long initDoneNanos = runtimeApi.initDone().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            initDurationMs = (initDoneNanos - startNanos) / 1e6;
        } catch (TimeoutException e) {
            log.initReport(elapsedMs(), "timeout");
            throw new EnvironmentFailure("Sandbox.Timedout", "Init phase did not complete within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            EnvironmentFailure failure = e.getCause() instanceof EnvironmentFailure f ? f
                    : new EnvironmentFailure("Runtime.Unknown", String.valueOf(e.getCause()));
            log.initReport(elapsedMs(), "error\tError Type: " + failure.errorType());
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentFailure("Runtime.Unknown", "interrupted while waiting for init");
        }
    }

    /** Runs one invocation; returns when the runtime answered, failed, or the function's timeout passed. */
    Invoked invoke(byte[] event, String invokedFunctionArn, boolean coldStart) {
        FunctionVersion function = spec.function();
        String requestId = UUID.randomUUID().toString();
        long timeoutMs = function.timeoutSeconds() * 1000L;
        boolean first = invocationCount.incrementAndGet() == 1;
        OptionalDouble reportedInit = first && spec.initializationType() == InitializationType.ON_DEMAND
                ? OptionalDouble.of(initDurationMs) : OptionalDouble.empty();
        log.start(requestId, function.version());
        long start = System.nanoTime();
        RuntimeApiServer.PendingInvocation pending = new RuntimeApiServer.PendingInvocation(requestId, event,
                System.currentTimeMillis() + timeoutMs, invokedFunctionArn, traceId(), new CompletableFuture<>());
        runtimeApi.deliver(pending, new EnvironmentFailure("Runtime.ExitError",
                "Runtime exited before the invocation was delivered"));
        byte[] payload;
        Optional<String> functionError = Optional.of("Unhandled");
        Optional<String> unusable = Optional.empty();
        boolean timedOut = false;
        try {
            RuntimeApiServer.RuntimeOutcome outcome = pending.outcome().get(timeoutMs, TimeUnit.MILLISECONDS);
            payload = outcome.body();
            functionError = outcome.error() ? Optional.of("Unhandled") : Optional.empty();
        } catch (TimeoutException e) {
            timedOut = true;
            String message = log.timedOut(requestId, function.timeoutSeconds());
            payload = RuntimeApiServer.errorObject("Sandbox.Timedout", message);
            unusable = Optional.of("Sandbox.Timedout: " + message);
        } catch (ExecutionException e) {
            String message = "RequestId: " + requestId + " Error: " + e.getCause().getMessage();
            log.append(message);
            payload = RuntimeApiServer.errorObject("Runtime.ExitError", message);
            unusable = Optional.of("Runtime.ExitError: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            payload = RuntimeApiServer.errorObject("Runtime.Unknown", "interrupted");
            unusable = Optional.of("Runtime.Unknown: interrupted while waiting for the runtime");
        } finally {
            runtimeApi.finished(pending);
        }
        double durationMs = (System.nanoTime() - start) / 1e6;
        log.end(requestId);
        log.report(requestId, durationMs, function.memorySizeMb(), stats.maxMemoryUsedMb(), reportedInit);
        return new Invoked(new InvocationResult(payload, functionError, function.version(), id, coldStart, timedOut,
                durationMs), unusable);
    }

    /** Ends the process and the Runtime API; idempotent; waits briefly for the process to be gone. */
    void stop() {
        EnvironmentProcess running = process;
        if (running != null) {
            running.stop();
        }
        runtimeApi.close(new EnvironmentFailure("Runtime.ExitError", "environment stopped"));
    }

    /** Ends the process without waiting (shutdown hook). */
    void kill() {
        EnvironmentProcess running = process;
        if (running != null) {
            running.kill();
        }
    }

    private void processExited(EnvironmentProcess.Exit exit, ExitListener listener) {
        if (!exit.requested()) {
            log.runtimeExited(runtimeApi.currentRequestId().orElse("-"), exit.description());
        }
        runtimeApi.close(new EnvironmentFailure("Runtime.ExitError", "Runtime exited with error: "
                + exit.description()));
        listener.exited(this, exit);
    }

    private double elapsedMs() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    String id() {
        return id;
    }

    EnvironmentSpec spec() {
        return spec;
    }

    FunctionVersion function() {
        return spec.function();
    }

    boolean processAlive() {
        EnvironmentProcess running = process;
        return running != null && running.isAlive();
    }

    long pid() {
        EnvironmentProcess running = process;
        return running == null ? -1 : running.pid();
    }

    EnvironmentInfo info(EnvironmentState state) {
        return new EnvironmentInfo(id, spec.function().functionName(), spec.function().version(),
                spec.provisionedFor(), spec.initializationType(), state, pid(), log.stream(),
                spec.runtime().installation(), invocationCount.get());
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
}
