package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.credentials.CredentialRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What freezing and thawing an idle environment costs with each {@link FreezeMethod}, on a JVM with about twenty
 * threads all waiting (as an environment waiting in {@code next}): how long {@link EnvironmentFreezer#freeze()} and
 * {@link EnvironmentFreezer#thaw()} take on the caller's thread (thaw is on every invocation's delivery path), and how
 * long until the kernel reports the process stopped (cgroup {@code frozen 1}; every thread {@code T}) and running
 * again. Run explicitly: {@code ./mvnw -B test -Dtest=EnvironmentFreezerBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; figures go to {@code target/benchmarks/environment-freezer.md}.
 */
class EnvironmentFreezerBenchmark {

    private static final int ROUNDS = 200;

    /** The benchmark's subject: a JVM whose threads all sleep. */
    public static final class IdleJvm {
        public static void main(String[] args) throws InterruptedException {
            for (int i = 0; i < 8; i++) {
                Thread thread = new Thread(() -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                thread.setDaemon(true);
                thread.start();
            }
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
    }

    @Test
    void freezeAndThawCostOfEachMethod() throws Exception {
        EnvironmentCgroups.Availability availability = EnvironmentCgroups.create();
        Assumptions.assumeTrue(availability.cgroups().isPresent(), availability.reason());
        EnvironmentCgroups cgroups = availability.cgroups().get();
        CredentialRegistry registry = new CredentialRegistry("AKIABENCH", "secret");
        EnvironmentCgroups.EnvironmentCgroup cgroup = cgroups.create("benchmark");
        StringBuilder report = new StringBuilder("| method | freeze() p50 / p90 µs | stopped p50 / p90 µs "
                + "| thaw() p50 / p90 µs | running p50 / p90 µs |\n|---|---|---|---|---|\n");
        try (EnvironmentLauncher launcher = new EnvironmentLauncher()) {
            Process jvm = launcher.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                            IdleJvm.class.getName()), Map.of(), Path.of("."), Optional.of(cgroup.procs()));
            try {
                Thread.sleep(3000);
                int threads = new java.io.File("/proc/" + jvm.pid() + "/task").list().length;
                for (FreezeMethod method : List.of(FreezeMethod.SIGNALS, FreezeMethod.CGROUP_V2,
                        FreezeMethod.SIGNALS, FreezeMethod.CGROUP_V2)) {
                    EnvironmentFreezer freezer = new EnvironmentFreezer(Optional.of(method), jvm.pid(),
                            Optional.of(cgroup), registry.issueSession(), Runnable::run);
                    long[] freezeCall = new long[ROUNDS];
                    long[] stopped = new long[ROUNDS];
                    long[] thawCall = new long[ROUNDS];
                    long[] running = new long[ROUNDS];
                    for (int round = 0; round < ROUNDS; round++) {
                        long start = System.nanoTime();
                        freezer.freeze();
                        freezeCall[round] = System.nanoTime() - start;
                        while (!stopped(method, cgroup, jvm.pid())) {
                            Thread.onSpinWait();
                        }
                        stopped[round] = System.nanoTime() - start;
                        Thread.sleep(2);
                        start = System.nanoTime();
                        freezer.thaw();
                        thawCall[round] = System.nanoTime() - start;
                        while (!resumed(method, cgroup, jvm.pid())) {
                            Thread.onSpinWait();
                        }
                        running[round] = System.nanoTime() - start;
                        Thread.sleep(2);
                    }
                    report.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", method, p5090(freezeCall),
                            p5090(stopped), p5090(thawCall), p5090(running)));
                }
                report.append("\n").append(ROUNDS).append(" rounds per row, each method twice, on a JVM of ")
                        .append(threads).append(" threads; load average after: ")
                        .append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
            } finally {
                jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            cgroup.remove();
            cgroups.close();
        }
        System.out.println(report);
        Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
        Files.writeString(directory.resolve("environment-freezer.md"), report);
        assertThat(report.toString()).contains("CGROUP_V2").contains("SIGNALS");
    }

    private static boolean stopped(FreezeMethod method, EnvironmentCgroups.EnvironmentCgroup cgroup, long pid)
            throws IOException {
        return method == FreezeMethod.CGROUP_V2 ? cgroup.frozen() : everyThread(pid, true);
    }

    private static boolean resumed(FreezeMethod method, EnvironmentCgroups.EnvironmentCgroup cgroup, long pid)
            throws IOException {
        return method == FreezeMethod.CGROUP_V2 ? !cgroup.frozen() : everyThread(pid, false);
    }

    /** Every thread stopped ({@code stopped}) or none stopped. */
    private static boolean everyThread(long pid, boolean stopped) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat = Files.readString(task.resolve("stat"));
                if ((stat.charAt(stat.lastIndexOf(')') + 2) == 'T') != stopped) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String p5090(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.0f / %.0f", sorted[sorted.length / 2] / 1e3,
                sorted[sorted.length * 9 / 10] / 1e3);
    }
}
