package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.credentials.CallerSession;
import dev.initbench.localcloud.invoke.InvocationResult;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One execution environment as a mechanism: a runtime process ({@link EnvironmentProcess}) talking to its own
 * Runtime API ({@link RuntimeApiServer}), writing to its own log stream ({@link PlatformLog}), signing its AWS calls
 * with its own session credentials ({@link CallerSession}), in its own cgroup when the host has them. It serves one
 * invocation at a time. It has no lifecycle state of its own: {@link EnvironmentPool} decides when it is idle,
 * busy or ended, and this class only reports what happened (init done or failed, an invocation's outcome, the
 * process's end).
 *
 * <p>Freezing ({@link EnvironmentFreezer}): the environment is frozen from the moment its runtime asks for the next
 * invocation with none pending until one is delivered, so never during init, and not after an on-demand init,
 * whose invocation is pending. Accounting ({@link HostCpu}): one {@code HOSTCPU} line per invocation (delivery to
 * outcome) and per init (process start to init's end).
 */
final class ExecutionEnvironment implements RuntimeApiServer.Hooks {

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

    /** The host CPU figures of one invocation, taken at its delivery and at its outcome. */
    private static final class InvocationSpan {
        private final RuntimeApiServer.PendingInvocation invocation;
        private volatile HostCpu.Sample delivered;
        private volatile HostCpu.Sample answered;

        private InvocationSpan(RuntimeApiServer.PendingInvocation invocation) {
            this.invocation = invocation;
        }
    }

    private final String id = HexFormat.of().formatHex(randomBytes(16));
    private final EnvironmentSpec spec;
    private final PlatformLog log;
    private final RuntimeApiServer runtimeApi;
    /** Where an invocation that failed or timed out is finished (that may stop the environment, which blocks). */
    private final Executor failureThreads;
    private final CallerSession session;
    private final long startNanos = System.nanoTime();
    private final AtomicLong invocationCount = new AtomicLong();
    /** Set while an on-demand environment's own invocation is on its way: its runtime must not freeze waiting. */
    private final AtomicBoolean invocationExpected;
    /** Completes once process, stats and freezer are set; the hooks wait for it (the runtime may be quick). */
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicBoolean initAccounted = new AtomicBoolean();
    private volatile EnvironmentProcess process;
    private volatile Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup = Optional.empty();
    private volatile ProcessStats stats;
    private volatile EnvironmentFreezer freezer;
    private volatile HostCpu.Sample processStart;
    private volatile InvocationSpan currentSpan;
    private volatile double initDurationMs;

    private ExecutionEnvironment(EnvironmentSpec spec, EnvironmentHost host) throws IOException {
        this.spec = spec;
        this.log = new PlatformLog(host.logs(), spec.function(), id);
        this.runtimeApi = new RuntimeApiServer(this);
        this.failureThreads = host.runtimeApiThreads();
        this.session = host.credentials().issueSession();
        this.invocationExpected = new AtomicBoolean(spec.initializationType() == InitializationType.ON_DEMAND);
    }

    /** Starts the Runtime API and the runtime process; init runs in the background (see {@link #awaitInit}). */
    static ExecutionEnvironment start(EnvironmentSpec spec, EnvironmentHost host, ExitListener onExit)
            throws IOException {
        ExecutionEnvironment environment = new ExecutionEnvironment(spec, host);
        try {
            environment.startProcess(host, onExit);
        } catch (IOException | RuntimeException e) {
            environment.runtimeApi.close(new EnvironmentFailure("Runtime.Unknown", e.getMessage()));
            environment.session.close();
            environment.cgroup.ifPresent(EnvironmentCgroups.EnvironmentCgroup::remove);
            throw e;
        }
        return environment;
    }

    private void startProcess(EnvironmentHost host, ExitListener onExit) throws IOException {
        runtimeApi.start();
        PreparedRuntime runtime = spec.runtime();
        log.initStart(runtime.initStartDescription(spec.function()));
        PreparedRuntime.ProcessLaunch launch = runtime.launch(spec.function(), spec.initializationType());
        Optional<EnvironmentCgroups> cgroups = host.cgroups();
        if (cgroups.isPresent()) {
            cgroup = Optional.of(cgroups.get().create(id));
        }
        processStart = new HostCpu.Sample(0, java.util.Map.of(), 0, System.nanoTime()); // a new process has used nothing yet
        process = EnvironmentProcess.start(host.launcher(), new PreparedRuntime.ProcessLaunch(launch.command(),
                        ReservedVariables.of(spec, log, host.context(), session.credentials(), runtimeApi.port(),
                                launch.variables())),
                spec.function().codeDirectory(), cgroup.map(EnvironmentCgroups.EnvironmentCgroup::procs), log,
                exit -> processExited(exit, onExit));
        stats = new ProcessStats(process.pid(), cgroup);
        freezer = new EnvironmentFreezer(host.freezeMethod(), process.pid(), cgroup, session,
                host.runtimeApiThreads());
        started.complete(null);
    }

    /** Waits until the runtime asks for its first invocation; logs INIT_REPORT when init fails or times out. */
    void awaitInit(Duration timeout) throws EnvironmentFailure {
        try {
            long initDoneNanos = runtimeApi.initDone().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            initDurationMs = (initDoneNanos - startNanos) / 1e6;
        } catch (TimeoutException e) {
            log.initReport(elapsedMs(), "timeout");
            accountInit();
            throw new EnvironmentFailure("Sandbox.Timedout", "Init phase did not complete within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            EnvironmentFailure failure = e.getCause() instanceof EnvironmentFailure f ? f
                    : new EnvironmentFailure("Runtime.Unknown", String.valueOf(e.getCause()));
            log.initReport(elapsedMs(), "error\tError Type: " + failure.errorType());
            accountInit();
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentFailure("Runtime.Unknown", "interrupted while waiting for init");
        }
    }

    /** Runs one invocation; returns when the runtime answered, failed, or the function's timeout passed. */
    Invoked invoke(byte[] event, String invokedFunctionArn, boolean coldStart) {
        return invokeAsync(event, invokedFunctionArn, coldStart).join();
    }

    /**
     * Runs one invocation with no thread waiting for it. The result (never exceptional) completes on the Runtime
     * API's thread that received the runtime's answer, or, when the runtime failed or the function's timeout
     * passed, on one of the Runtime API's executor threads.
     */
    CompletableFuture<Invoked> invokeAsync(byte[] event, String invokedFunctionArn, boolean coldStart) {
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
        InvocationSpan span = new InvocationSpan(pending);
        currentSpan = span;
        CompletableFuture<Invoked> invoked = new CompletableFuture<>();
        pending.outcome().orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((outcome, failure) -> {
            if (failure == null) {
                invoked.complete(finish(span, start, reportedInit, coldStart, outcome, null));
            } else {
                failureThreads.execute(() -> invoked.complete(finish(span, start, reportedInit, coldStart, null,
                        failure)));
            }
        });
        runtimeApi.deliver(pending, () -> new EnvironmentFailure("Runtime.ExitError",
                "Runtime exited before the invocation was delivered"));
        return invoked;
    }

    /** END, REPORT and HOSTCPU of an invocation the runtime answered ({@code outcome}) or that failed. */
    private Invoked finish(InvocationSpan span, long startNanos, OptionalDouble reportedInit, boolean coldStart,
                           RuntimeApiServer.RuntimeOutcome outcome, Throwable failure) {
        FunctionVersion function = spec.function();
        RuntimeApiServer.PendingInvocation pending = span.invocation;
        String requestId = pending.requestId();
        runtimeApi.finished(pending);
        byte[] payload;
        Optional<String> functionError = Optional.of("Unhandled");
        Optional<String> unusable = Optional.empty();
        boolean timedOut = false;
        if (outcome != null) {
            payload = outcome.body();
            functionError = outcome.error() ? Optional.of("Unhandled") : Optional.empty();
        } else if (failure instanceof TimeoutException) {
            timedOut = true;
            String message = log.timedOut(requestId, function.timeoutSeconds());
            payload = RuntimeApiServer.errorObject("Sandbox.Timedout", message);
            unusable = Optional.of("Sandbox.Timedout: " + message);
        } else {
            String message = "RequestId: " + requestId + " Error: " + failure.getMessage();
            log.append(message);
            payload = RuntimeApiServer.errorObject("Runtime.ExitError", message);
            unusable = Optional.of("Runtime.ExitError: " + failure.getMessage());
        }
        double durationMs = (System.nanoTime() - startNanos) / 1e6;
        log.end(requestId);
        log.report(requestId, durationMs, function.memorySizeMb(), stats.maxMemoryUsedMb(), reportedInit);
        log.hostCpu(requestId, hostCpu(span));
        return new Invoked(new InvocationResult(payload, functionError, function.version(), id, coldStart, timedOut,
                durationMs), unusable);
    }

    /**
     * Thaws the environment if frozen, ends the process and the Runtime API, revokes its credentials (dropping
     * answers held for it) and removes its cgroup; idempotent; waits briefly for the process to be gone.
     */
    void stop() {
        EnvironmentFreezer frozen = freezer;
        if (frozen != null) {
            frozen.thaw();
        }
        EnvironmentProcess running = process;
        if (running != null) {
            running.stop();
        }
        runtimeApi.close(new EnvironmentFailure("Runtime.ExitError", "environment stopped"));
        session.close();
        closeStats();
        cgroup.ifPresent(EnvironmentCgroups.EnvironmentCgroup::remove);
    }

    private void closeStats() {
        ProcessStats opened = stats;
        if (opened != null) {
            opened.close();
        }
    }

    /** Ends the process without waiting (shutdown hook); a frozen one is thawed first. */
    void kill() {
        EnvironmentFreezer frozen = freezer;
        if (frozen != null) {
            frozen.thaw();
        }
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
        session.close();
        closeStats();
        listener.exited(this, exit);
    }

    // ---------------------------------------------------------------- Runtime API hooks

    @Override
    public void initEnded() {
        awaitStarted();
        accountInit();
    }

    @Override
    public void waitingForWork() {
        awaitStarted();
        if (!invocationExpected.getAndSet(false)) {
            freezer.freeze();
        }
    }

    @Override
    public void delivering(RuntimeApiServer.PendingInvocation invocation) {
        awaitStarted();
        invocationExpected.set(false);
        freezer.thaw();
        InvocationSpan span = currentSpan;
        if (span != null && span.invocation == invocation) {
            span.delivered = sample();
        }
    }

    @Override
    public void answered(RuntimeApiServer.PendingInvocation invocation) {
        InvocationSpan span = currentSpan;
        if (span != null && span.invocation == invocation) {
            span.answered = sample();
        }
    }

    /** The init's HOSTCPU line, once: from process start to now. */
    private void accountInit() {
        HostCpu.Sample start = processStart;
        if (start != null && stats != null && initAccounted.compareAndSet(false, true)) {
            log.hostCpuInit(spec.initializationType(), start.until(sample()));
        }
    }

    /** Delivery to outcome (or to now, when the runtime never answered); nothing when it was never delivered. */
    private HostCpu hostCpu(InvocationSpan span) {
        HostCpu.Sample delivered = span.delivered;
        if (delivered == null) {
            return HostCpu.NOTHING;
        }
        HostCpu.Sample answered = span.answered;
        return delivered.until(answered != null ? answered : sample());
    }

    private HostCpu.Sample sample() {
        ProcessStats.SchedulerTotals totals = stats.schedulerTotals();
        return new HostCpu.Sample(totals.cpuNanos(), totals.threads(), freezer.frozenNanos(),
                System.nanoTime());
    }

    private void awaitStarted() {
        try {
            started.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the environment was starting", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the environment's process was not started", e);
        }
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

    /** True while frozen between invocations. */
    boolean frozen() {
        EnvironmentFreezer current = freezer;
        return current != null && current.frozen();
    }

    /** The access key id of the environment's own credentials. */
    String accessKeyId() {
        return session.credentials().accessKeyId();
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
