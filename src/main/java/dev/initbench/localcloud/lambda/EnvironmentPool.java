package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.invoke.InvocationThrottledException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every execution environment of the service and its lifecycle, as one state machine ({@link EnvironmentState}).
 * This is the only code that changes an environment's state: each transition checks, under the pool's lock, the
 * state it comes from, and throws {@link IllegalStateException} when it is wrong. Listeners hear of each transition
 * of a started environment, on the thread that made it, after the lock is released.
 *
 * <p>Leasing: an invocation of a qualifier with provisioned concurrency goes to an idle provisioned environment of
 * that allocation chosen by {@link LambdaSettings#environmentSelection()}; otherwise (spillover) to the idle
 * on-demand environment of that version used last (so spare ones age out), else to a new on-demand environment (a
 * cold start). A lease is returned on every path, also when the work done with it throws. The
 * {@link ConcurrencyLimiter} throttles above the concurrency limit; the reaper stops on-demand environments idle
 * longer than {@link LambdaSettings#idleEnvironmentTimeout()}. Thread-safe.
 */
final class EnvironmentPool implements AutoCloseable {

    /** One state change of a started environment. */
    record Transition(ExecutionEnvironment environment, Optional<ProvisionedAllocation> allocation,
                      EnvironmentState from, EnvironmentState to, Optional<String> reason) {
    }

    /**
     * Hears of transitions; must neither throw nor block for long (it runs on invocation, provisioning and
     * process-exit threads).
     */
    interface Listener {
        void transitioned(Transition transition);
    }

    /** What is done with a leased environment. */
    interface LeasedWork {
        ExecutionEnvironment.Invoked run(ExecutionEnvironment environment, boolean coldStart);
    }

    private final LambdaSettings settings;
    private final EnvironmentHost host;
    private final ConcurrencyLimiter concurrency;
    private final HostMemoryGuard memory;
    private final HostMemoryDiagnostics memoryDiagnostics;
    private final Random selectionRandom;
    private final Object lock = new Object();
    private final List<Slot> live = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lambda-reaper");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;

    /** @param memory the host's available memory, which every start is checked against */
    EnvironmentPool(LambdaSettings settings, EnvironmentHost host, HostMemoryGuard.MemoryReading memory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.host = Objects.requireNonNull(host, "host");
        this.concurrency = new ConcurrencyLimiter(settings.concurrencyLimit());
        this.memory = new HostMemoryGuard(settings.hostMemoryFloorMb(), memory);
        this.memoryDiagnostics = new HostMemoryDiagnostics(host.logs());
        this.selectionRandom = new Random(settings.selectionSeed());
        long period = Math.max(100, Math.min(1000, settings.idleEnvironmentTimeout().toMillis() / 2));
        reaper.scheduleWithFixedDelay(this::reapIdle, period, period, TimeUnit.MILLISECONDS);
    }

    void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs one invocation on a leased environment.
     *
     * @param allocation the provisioned concurrency of the invoked qualifier, if it has one
     * @throws InvocationThrottledException above the concurrency limit, or when a cold start is needed and the host's
     *                                      memory cannot hold another environment
     */
    InvocationResult invoke(FunctionVersion version, Optional<ProvisionedAllocation> allocation,
                            PreparedRuntime runtime, String invokedArn, byte[] payload) {
        return withLease(version, allocation, runtime, (environment, coldStart) ->
                environment.invoke(payload, invokedArn, coldStart)).result();
    }

    /**
     * Runs one invocation with no thread waiting for it: a warm one is delivered on this thread and completes on the
     * Runtime API's thread that receives the runtime's answer; a cold start runs on {@code coldStarts}. The lease is
     * returned before the future completes.
     *
     * @throws InvocationThrottledException above the concurrency limit, or when a cold start is needed and the host's
     *                                      memory cannot hold another environment (nothing ran)
     */
    CompletableFuture<InvocationResult> invokeAsync(FunctionVersion version, Optional<ProvisionedAllocation> allocation,
                                                    PreparedRuntime runtime, String invokedArn, byte[] payload,
                                                    Executor coldStarts) {
        ConcurrencyLimiter.Permit permit = concurrency.acquire();
        CompletableFuture<ExecutionEnvironment.Invoked> invoked;
        try {
            Slot slot = leaseIdle(version, allocation);
            if (slot == null) {
                HostMemoryGuard.Reservation memory = admitOnDemand(version, runtime);
                try {
                    invoked = CompletableFuture.supplyAsync(() -> runOnColdStart(version, runtime, memory,
                            (environment, coldStart) -> environment.invoke(payload, invokedArn, coldStart)), coldStarts);
                } catch (RuntimeException e) { // the executor refused: the cold start never runs
                    memory.close();
                    throw e;
                }
            } else {
                invoked = slot.environment.invokeAsync(payload, invokedArn, false)
                        .whenComplete((done, failure) -> release(slot, done));
            }
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        return invoked.whenComplete((done, failure) -> permit.close()).thenApply(ExecutionEnvironment.Invoked::result);
    }

    /** Leases an environment, runs {@code work} on it and returns the lease, whatever {@code work} does. */
    ExecutionEnvironment.Invoked withLease(FunctionVersion version, Optional<ProvisionedAllocation> allocation,
                                           PreparedRuntime runtime, LeasedWork work) {
        try (ConcurrencyLimiter.Permit permit = concurrency.acquire()) {
            Slot slot = leaseIdle(version, allocation);
            return slot == null ? runOnColdStart(version, runtime, admitOnDemand(version, runtime), work)
                    : runLeased(slot, false, work);
        }
    }

    /** An idle environment for the invocation, now BUSY; null when there is none (a cold start is needed). */
    private Slot leaseIdle(FunctionVersion version, Optional<ProvisionedAllocation> allocation) {
        Slot slot;
        List<Transition> fired = new ArrayList<>();
        synchronized (lock) {
            ensureOpen();
            slot = idleSlot(version, allocation);
            if (slot != null) {
                fired.add(transition(slot, EnvironmentState.IDLE, EnvironmentState.BUSY, null));
            }
        }
        announce(fired);
        return slot;
    }

    /**
     * Admits a cold start's environment to the host's memory, or throttles the invocation as the concurrency limit
     * does, after saying why in the function's log group and the local cloud's log.
     */
    private HostMemoryGuard.Reservation admitOnDemand(FunctionVersion version, PreparedRuntime runtime) {
        try {
            return memory.reserve(runtime.footprint());
        } catch (HostMemoryShortage shortage) {
            memoryDiagnostics.refused(version, InitializationType.ON_DEMAND, shortage);
            throw new InvocationThrottledException(InvocationThrottledException.Cause.HOST_MEMORY,
                    "Rate Exceeded: the local cloud throttled this invocation because " + shortage.getMessage()
                            + ". AWS has no such limit");
        }
    }

    /**
     * Starts an on-demand environment for {@code work} and runs it there; a failed start is the work's result.
     * {@code memory} is the environment's admission, released once its init has ended.
     */
    private ExecutionEnvironment.Invoked runOnColdStart(FunctionVersion version, PreparedRuntime runtime,
                                                        HostMemoryGuard.Reservation memory, LeasedWork work) {
        Slot slot;
        try {
            slot = startOnDemand(EnvironmentSpec.builder().function(version).runtime(runtime).build(), memory);
        } catch (EnvironmentFailure failure) {
            return new ExecutionEnvironment.Invoked(new InvocationResult(failure.payload(),
                    Optional.of("Unhandled"), version.version(), "", true, false, 0), Optional.empty());
        }
        return runLeased(slot, true, work);
    }

    private ExecutionEnvironment.Invoked runLeased(Slot slot, boolean coldStart, LeasedWork work) {
        ExecutionEnvironment.Invoked invoked = null;
        try {
            invoked = work.run(slot.environment, coldStart);
            return invoked;
        } finally {
            release(slot, invoked);
        }
    }

    /**
     * Starts one provisioned-concurrency environment of {@code allocation} and waits for its init.
     *
     * @return normally once it is IDLE
     * @throws EnvironmentFailure when it could not start or its init failed (it has then ended)
     * @throws HostMemoryShortage  when the host's memory cannot hold it (nothing was started)
     */
    void startProvisioned(ProvisionedAllocation allocation, PreparedRuntime runtime)
            throws EnvironmentFailure, HostMemoryShortage {
        EnvironmentSpec spec = EnvironmentSpec.builder().function(allocation.version())
                .provisionedFor(allocation.qualifier()).runtime(runtime).build();
        HostMemoryGuard.Reservation admitted;
        try {
            admitted = memory.reserve(runtime.footprint());
        } catch (HostMemoryShortage shortage) {
            memoryDiagnostics.refused(allocation.version(), InitializationType.PROVISIONED_CONCURRENCY, shortage);
            throw shortage;
        }
        Slot slot = launch(spec, Optional.of(allocation), settings.provisionedInitTimeout(), admitted);
        announce(finishInit(slot, EnvironmentState.IDLE));
    }

    /** How many environments of {@code allocation} are initialized (IDLE or BUSY). */
    int initializedCount(ProvisionedAllocation allocation) {
        synchronized (lock) {
            return (int) live.stream().filter(slot -> slot.allocation.orElse(null) == allocation)
                    .filter(slot -> slot.state == EnvironmentState.IDLE || slot.state == EnvironmentState.BUSY)
                    .count();
        }
    }

    /** Stops every environment of {@code allocation} (its configuration was replaced, deleted or failed). */
    void stopAllocation(ProvisionedAllocation allocation, String reason) {
        stopWhere(slot -> slot.allocation.orElse(null) == allocation, reason);
    }

    /** Stops every environment of the function (it was deleted). */
    void stopFunction(String functionName, String reason) {
        stopWhere(slot -> slot.spec.function().functionName().equals(functionName), reason);
    }

    /** Stops the on-demand environments of one version (it was deleted). */
    void stopOnDemand(String versionArn, String reason) {
        stopWhere(slot -> slot.allocation.isEmpty() && slot.spec.function().versionArn().equals(versionArn), reason);
    }

    /** A snapshot of every started environment that has not ended. */
    List<EnvironmentInfo> environments() {
        synchronized (lock) {
            return live.stream().filter(slot -> slot.environment != null)
                    .map(slot -> slot.environment.info(slot.state))
                    .sorted(Comparator.comparing(EnvironmentInfo::functionName).thenComparing(EnvironmentInfo::id))
                    .toList();
        }
    }

    int inFlight() {
        return concurrency.inFlight();
    }

    /** Memory promised to environments admitted whose init has not ended, in MB. */
    long startingMemoryMb() {
        return memory.startingMb();
    }

    /** Stops every environment; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        reaper.shutdownNow();
        stopWhere(slot -> true, "the Lambda service closed");
    }

    /** Ends every process without waiting and without bookkeeping (shutdown hook). */
    void killAll() {
        List<ExecutionEnvironment> environments;
        synchronized (lock) {
            environments = live.stream().map(slot -> slot.environment).filter(Objects::nonNull).toList();
        }
        environments.forEach(ExecutionEnvironment::kill);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Under the lock: an idle provisioned environment of the allocation, else an idle on-demand one, else null. */
    private Slot idleSlot(FunctionVersion version, Optional<ProvisionedAllocation> allocation) {
        if (allocation.isPresent()) {
            List<Slot> idle = live.stream().filter(slot -> slot.state == EnvironmentState.IDLE
                    && slot.allocation.orElse(null) == allocation.get()).toList();
            if (!idle.isEmpty()) {
                return settings.environmentSelection().pick(idle, slot -> slot.lastUsedNanos, selectionRandom);
            }
        }
        return live.stream().filter(slot -> slot.state == EnvironmentState.IDLE && slot.allocation.isEmpty()
                        && slot.spec.function().versionArn().equals(version.versionArn()))
                .max(Comparator.comparingLong(slot -> slot.lastUsedNanos)).orElse(null);
    }

    /** A cold start, leased from the start: INITIALIZING goes straight to BUSY. */
    private Slot startOnDemand(EnvironmentSpec spec, HostMemoryGuard.Reservation memory) throws EnvironmentFailure {
        Slot slot = launch(spec, Optional.empty(), settings.onDemandInitTimeout(), memory);
        announce(finishInit(slot, EnvironmentState.BUSY));
        return slot;
    }

    /**
     * Registers (STARTING), starts (INITIALIZING) and waits for init; on failure the slot has ended. The memory
     * admission is released when init has ended either way: from then on the process's resident memory is what the
     * host's available memory no longer counts.
     */
    private Slot launch(EnvironmentSpec spec, Optional<ProvisionedAllocation> allocation, Duration timeout,
                        HostMemoryGuard.Reservation memory) throws EnvironmentFailure {
        try (memory) {
            return launchAdmitted(spec, allocation, timeout);
        }
    }

    private Slot launchAdmitted(EnvironmentSpec spec, Optional<ProvisionedAllocation> allocation, Duration timeout)
            throws EnvironmentFailure {
        Slot slot = new Slot(spec, allocation);
        synchronized (lock) {
            if (closed || allocation.map(ProvisionedAllocation::released).orElse(false)) {
                throw new EnvironmentFailure("Runtime.Unknown", closed ? "the local Lambda service is closed"
                        : "the provisioned concurrency configuration was removed");
            }
            live.add(slot);
        }
        ExecutionEnvironment environment;
        try {
            environment = ExecutionEnvironment.start(spec, host, this::processExited);
        } catch (IOException e) {
            String reason = "could not start an execution environment: " + e.getMessage();
            synchronized (lock) {
                end(slot, EnvironmentState.FAILED, reason);
            }
            throw new EnvironmentFailure("Runtime.Unknown", reason);
        }
        List<Transition> fired = new ArrayList<>();
        boolean started;
        synchronized (lock) {
            slot.environment = environment;
            started = slot.state == EnvironmentState.STARTING;
            if (started) {
                fired.add(transition(slot, EnvironmentState.STARTING, EnvironmentState.INITIALIZING, null));
            }
        }
        announce(fired);
        if (!started) { // stopped while starting (service closed, allocation removed)
            environment.stop();
            throw new EnvironmentFailure("Runtime.Unknown", "the environment was stopped while starting: "
                    + slot.endReason.orElse(""));
        }
        try {
            environment.awaitInit(timeout);
        } catch (EnvironmentFailure failure) {
            endAndStop(slot, EnvironmentState.FAILED, "init failed: " + failure.errorType() + ": "
                    + failure.getMessage());
            throw failure;
        }
        return slot;
    }

    /** INITIALIZING → {@code to}; fails when the environment ended meanwhile (its runtime died just after init). */
    private List<Transition> finishInit(Slot slot, EnvironmentState to) throws EnvironmentFailure {
        synchronized (lock) {
            if (slot.state.terminal()) {
                throw new EnvironmentFailure("Runtime.ExitError", "the environment ended right after init: "
                        + slot.endReason.orElse(""));
            }
            slot.lastUsedNanos = System.nanoTime();
            return List.of(transition(slot, EnvironmentState.INITIALIZING, to, null));
        }
    }

    /** Returns a lease: BUSY → IDLE when the environment can serve again, else it ends and is stopped. */
    private void release(Slot slot, ExecutionEnvironment.Invoked invoked) {
        String unusable = invoked == null ? "the invocation ended with an unexpected exception"
                : invoked.unusableBecause().orElse(slot.environment.processAlive() ? null
                : "the runtime process ended");
        if (unusable != null) {
            endAndStop(slot, EnvironmentState.FAILED, unusable);
            return;
        }
        List<Transition> fired = new ArrayList<>();
        synchronized (lock) {
            if (!slot.state.terminal()) { // else it ended while leased (stopped, or its process exited)
                slot.lastUsedNanos = System.nanoTime();
                fired.add(transition(slot, EnvironmentState.BUSY, EnvironmentState.IDLE, null));
            }
        }
        announce(fired);
    }

    /** The process has ended: an environment not ended already has failed. */
    private void processExited(ExecutionEnvironment environment, EnvironmentProcess.Exit exit) {
        List<Transition> fired = new ArrayList<>();
        synchronized (lock) {
            live.stream().filter(slot -> slot.environment == environment).findFirst().ifPresent(slot ->
                    fired.addAll(end(slot, EnvironmentState.FAILED, "Runtime exited with error: "
                            + exit.description())));
        }
        announce(fired);
    }

    private void reapIdle() {
        long cutoff = System.nanoTime() - settings.idleEnvironmentTimeout().toNanos();
        stopWhere(slot -> slot.allocation.isEmpty() && slot.state == EnvironmentState.IDLE
                && slot.lastUsedNanos < cutoff, "idle for longer than " + settings.idleEnvironmentTimeout());
    }

    private void stopWhere(Predicate<Slot> which, String reason) {
        List<Transition> fired = new ArrayList<>();
        List<ExecutionEnvironment> toStop = new ArrayList<>();
        synchronized (lock) {
            for (Slot slot : List.copyOf(live)) {
                if (which.test(slot)) {
                    fired.addAll(end(slot, EnvironmentState.STOPPED, reason));
                    if (slot.environment != null) {
                        toStop.add(slot.environment);
                    }
                }
            }
        }
        toStop.parallelStream().forEach(ExecutionEnvironment::stop);
        announce(fired);
    }

    private void endAndStop(Slot slot, EnvironmentState to, String reason) {
        List<Transition> fired;
        synchronized (lock) {
            fired = end(slot, to, reason);
        }
        if (slot.environment != null) {
            slot.environment.stop();
        }
        announce(fired);
    }

    /** Under the lock: ends a slot from whatever live state it is in; nothing when it has ended already. */
    private List<Transition> end(Slot slot, EnvironmentState to, String reason) {
        if (slot.state.terminal()) {
            return List.of();
        }
        return List.of(transition(slot, slot.state, to, reason));
    }

    /** Under the lock: the one place a state changes. */
    private Transition transition(Slot slot, EnvironmentState from, EnvironmentState to, String reason) {
        if (slot.state != from || !from.next().contains(to)) {
            throw new IllegalStateException("environment " + slot.describe() + " is " + slot.state
                    + ": cannot move from " + from + " to " + to);
        }
        slot.state = to;
        if (to.terminal()) {
            slot.endReason = Optional.ofNullable(reason);
            live.remove(slot);
        }
        return new Transition(slot.environment, slot.allocation, from, to, Optional.ofNullable(reason));
    }

    private void announce(List<Transition> fired) {
        for (Transition transition : fired) {
            if (transition.environment() != null) {
                listeners.forEach(listener -> listener.transitioned(transition));
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw LambdaErrors.serviceClosed();
        }
    }

    /** One environment's place in the pool. Fields guarded by the pool's lock. */
    private static final class Slot {
        private final EnvironmentSpec spec;
        private final Optional<ProvisionedAllocation> allocation;
        private ExecutionEnvironment environment;
        private EnvironmentState state = EnvironmentState.STARTING;
        private Optional<String> endReason = Optional.empty();
        private long lastUsedNanos = System.nanoTime();

        private Slot(EnvironmentSpec spec, Optional<ProvisionedAllocation> allocation) {
            this.spec = spec;
            this.allocation = allocation;
        }

        private String describe() {
            return (environment == null ? "(starting)" : environment.id()) + " of " + spec.function().versionArn();
        }
    }
}
