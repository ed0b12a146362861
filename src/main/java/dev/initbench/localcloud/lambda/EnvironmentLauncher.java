package dev.initbench.localcloud.lambda;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts execution-environment processes from the command line their runtime family gives.
 *
 * <p>When {@code setpriv --pdeathsig} (util-linux) is available, every child is started through it, so the kernel
 * kills it even when the local cloud's JVM is killed with SIGKILL and no shutdown hook runs. The parent-death signal
 * fires when the <em>thread</em> that started the child ends, so all children are started from one long-lived
 * launcher thread that lives as long as this launcher.
 *
 * <p>A child meant for a cgroup is started as {@code sh -c 'echo $$ > <cgroup.procs> && exec ...'}: it joins its
 * cgroup before it execs the runtime, so the cgroup counts every thread the runtime ever starts.
 */
final class EnvironmentLauncher implements AutoCloseable {

    private final ExecutorService launcherThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lambda-environment-launcher");
        thread.setDaemon(true);
        return thread;
    });
    private final Optional<Path> setpriv = setprivWithParentDeathSignal();

    /** True when children are started through {@code setpriv --pdeathsig SIGKILL}. */
    boolean usesParentDeathSignal() {
        return setpriv.isPresent();
    }

    /**
     * Starts {@code command} (behind the parent-death prefix when available, in the cgroup whose {@code cgroup.procs}
     * is given) from the launcher thread (see the class comment for why).
     */
    Process start(List<String> command, Map<String, String> environment, Path workingDirectory,
                  Optional<Path> cgroupProcs) throws IOException {
        return start(command, environment, workingDirectory, cgroupProcs, ProcessBuilder.Redirect.PIPE);
    }

    /** As above, with the child's output (stdout and stderr together) sent to {@code output}. */
    Process start(List<String> command, Map<String, String> environment, Path workingDirectory,
                  Optional<Path> cgroupProcs, ProcessBuilder.Redirect output) throws IOException {
        List<String> supervised = new ArrayList<>();
        cgroupProcs.ifPresent(procs -> supervised.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                procs.toString())));
        setpriv.ifPresent(path -> supervised.addAll(List.of(path.toString(), "--pdeathsig", "SIGKILL", "--")));
        supervised.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(supervised)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            return launcherThread.submit(builder::start).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start " + command.get(0) + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting an execution environment", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("starting an execution environment took more than 30 s", e);
        }
    }

    @Override
    public void close() {
        launcherThread.shutdownNow();
    }

    /** {@code setpriv} from the PATH when it knows {@code --pdeathsig} (util-linux 2.33 and newer). */
    private static Optional<Path> setprivWithParentDeathSignal() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "setpriv");
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            try {
                Process help = new ProcessBuilder(candidate.toString(), "--help").redirectErrorStream(true).start();
                String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                help.waitFor(5, TimeUnit.SECONDS);
                return text.contains("--pdeathsig") ? Optional.of(candidate) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
