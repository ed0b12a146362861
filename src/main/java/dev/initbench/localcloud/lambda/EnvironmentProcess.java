package dev.initbench.localcloud.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The operating-system process of one environment: started through {@link EnvironmentLauncher}, its output copied
 * line by line to the environment's log, its end reported once with whether it was asked to end.
 */
final class EnvironmentProcess {

    /** How the process ended: {@code exit status 3}, {@code signal: killed}; {@code requested} when we ended it. */
    record Exit(String description, boolean requested) {
    }

    private final Process process;
    private volatile boolean stopRequested;

    private EnvironmentProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts the process with exactly {@code launch}'s variables, inside the cgroup whose {@code cgroup.procs} is
     * given; {@code onExit} runs once when it has ended, on a thread of the JDK's process reaper.
     */
    static EnvironmentProcess start(EnvironmentLauncher launcher, PreparedRuntime.ProcessLaunch launch,
                                    Path workingDirectory, Optional<Path> cgroupProcs, PlatformLog log,
                                    Consumer<Exit> onExit) throws IOException {
        EnvironmentProcess started = new EnvironmentProcess(launcher.start(launch.command(), launch.variables(),
                workingDirectory, cgroupProcs));
        started.copyOutput(log, "lambda-env-output-" + started.pid());
        started.process.onExit().thenRun(() -> onExit.accept(started.exit()));
        return started;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the process and its children; waits briefly so callers can rely on it being gone. Idempotent. */
    void stop() {
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the process and its children without waiting (shutdown hook). */
    void kill() {
        stopRequested = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private Exit exit() {
        int status = process.exitValue();
        return new Exit(status > 128 ? "signal: " + signalName(status - 128) : "exit status " + status,
                stopRequested);
    }

    private void copyOutput(PlatformLog log, String threadName) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    log.append(line);
                }
            } catch (IOException e) {
                // The process ended: nothing more to read.
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
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
}
