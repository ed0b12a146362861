package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.credentials.CallerSession;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Freezes one execution environment while it has no pending invocation and thaws it for the next one, as Lambda
 * does: the process stops ({@link FreezeMethod}) and the local cloud holds its answers to the environment's requests
 * ({@link CallerSession#holdAnswers}), because the kernel would otherwise buffer replies for the stopped process and
 * a request started before the freeze would look answered at thaw. Keeps the time spent frozen, for the CPU
 * accounting. A disabled freezer ({@link LambdaSettings#freezeIdleEnvironments()} off) does nothing. Thread-safe.
 */
final class EnvironmentFreezer {

    private static final System.Logger LOG = System.getLogger(EnvironmentFreezer.class.getName());
    /** Longest wait for answers being written before the process is stopped anyway. */
    private static final Duration WRITES_IN_PROGRESS_WAIT = Duration.ofSeconds(1);

    private final Optional<FreezeMethod> method;
    private final long pid;
    private final Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup;
    private final CallerSession session;
    private final Executor answerWriter;
    private boolean frozen;
    private long frozenSinceNanos;
    private long frozenTotalNanos;

    /**
     * @param method       empty: freezing is off
     * @param cgroup       the environment's cgroup (needed for {@link FreezeMethod#CGROUP_V2})
     * @param answerWriter writes the answers held while frozen, after the thaw
     */
    EnvironmentFreezer(Optional<FreezeMethod> method, long pid, Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup,
                       CallerSession session, Executor answerWriter) {
        if (method.equals(Optional.of(FreezeMethod.CGROUP_V2)) && cgroup.isEmpty()) {
            throw new IllegalArgumentException("the cgroup freezer needs the environment's cgroup");
        }
        this.method = method;
        this.pid = pid;
        this.cgroup = cgroup;
        this.session = session;
        this.answerWriter = answerWriter;
    }

    /** Holds the environment's answers, then stops its process. Nothing when off or already frozen. */
    synchronized void freeze() {
        if (method.isEmpty() || frozen) {
            return;
        }
        session.holdAnswers(WRITES_IN_PROGRESS_WAIT);
        apply(true);
        frozen = true;
        frozenSinceNanos = System.nanoTime();
    }

    /** Resumes the process, then writes the answers held meanwhile. Nothing when not frozen. */
    synchronized void thaw() {
        if (!frozen) {
            return;
        }
        apply(false);
        frozen = false;
        frozenTotalNanos += System.nanoTime() - frozenSinceNanos;
        session.releaseAnswers(answerWriter);
    }

    synchronized boolean frozen() {
        return frozen;
    }

    /** Time spent frozen so far, the current freeze included, in ns. */
    synchronized long frozenNanos() {
        return frozenTotalNanos + (frozen ? System.nanoTime() - frozenSinceNanos : 0);
    }

    Optional<FreezeMethod> method() {
        return method;
    }

    private void apply(boolean freeze) {
        try {
            switch (method.orElseThrow()) {
                case CGROUP_V2 -> cgroup.orElseThrow().freeze(freeze);
                case SIGNALS -> signal(freeze ? "-STOP" : "-CONT");
            }
        } catch (IOException e) {
            // The process is ending (or gone): the pool hears of that from its exit.
            LOG.log(System.Logger.Level.DEBUG, "local Lambda: could not " + (freeze ? "freeze" : "thaw")
                    + " environment process " + pid + ": " + e.getMessage());
        }
    }

    private void signal(String signal) throws IOException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        try {
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IOException("kill " + signal + " " + pid + " did not finish within 5 s");
            }
            if (kill.exitValue() != 0) {
                throw new IOException("kill " + signal + " " + pid + ": "
                        + new String(kill.getInputStream().readAllBytes()).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + pid, e);
        }
    }
}
