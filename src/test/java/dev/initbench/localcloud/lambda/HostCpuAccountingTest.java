package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.logs.LogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HOSTCPU figures of real environments: a busy loop is CPU or waiting for a CPU for all of its wall time, and two
 * busy environments pinned to one core wait for it. Wait is the busiest thread's (the loop's), never more than the
 * wall time.
 */
class HostCpuAccountingTest {

    private static final long BURN_MS = 800;

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();
    private LambdaService lambda;
    private LogStore logs;

    @BeforeEach
    void createFunction() {
        lambda = extension.service();
        logs = extension.logs();
        lambda.createFunction(LambdaTestSupport.misbehavingFunction("burner", "java17", 30, Map.of()));
    }

    @Test
    void busyLoopIsCpuOrCpuWaitForItsWholeWallTime() {
        invoke("{\"action\":\"echo\"}"); // the cold start, so the measured invocation runs no init
        invoke("{\"action\":\"burn\",\"ms\":" + BURN_MS + "}");
        List<Matcher> invocations = invocationLines();
        assertThat(invocations).hasSize(2);
        Matcher burn = invocations.get(1);
        double cpu = Double.parseDouble(burn.group(2));
        double wait = Double.parseDouble(burn.group(3));
        double wall = Double.parseDouble(burn.group(4));
        System.out.printf("busy loop alone: %s%n", burn.group());
        assertThat(wall).isBetween(BURN_MS * 0.95, BURN_MS * 3.0);
        assertThat(cpu).isPositive();
        assertThat(cpu + wait).as("the loop's thread always runs or waits: %s", burn.group())
                .isGreaterThan(wall * 0.8);
        assertThat(cpu).as("one busy thread and little else: %s", burn.group()).isLessThan(wall * 1.2);
        assertThat(Double.parseDouble(burn.group(5))).as("frozen within an invocation").isZero();
        List<String> lines = lines();
        int init = indexOfMatch(lines, HostCpuLineTest.INIT);
        assertThat(lines.get(init)).contains("Type: on-demand");
        assertThat(init).as("the init line comes before the first START").isLessThan(indexOfPrefix(lines, "START "));
        assertThat(Double.parseDouble(matcher(lines.get(init), HostCpuLineTest.INIT).group(2)))
                .as("a JVM's init uses CPU").isGreaterThan(50);
    }

    @Test
    void twoBusyEnvironmentsPinnedToOneCoreWaitForIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset is not installed");
        CompletableFuture<?> first = CompletableFuture.runAsync(() -> invoke("{\"action\":\"sleep\",\"ms\":300}"));
        CompletableFuture<?> second = CompletableFuture.runAsync(() -> invoke("{\"action\":\"sleep\",\"ms\":300}"));
        CompletableFuture.allOf(first, second).get(120, TimeUnit.SECONDS);
        List<EnvironmentInfo> environments = lambda.environments();
        assertThat(environments).hasSize(2);
        for (EnvironmentInfo environment : environments) {
            Process taskset = new ProcessBuilder("taskset", "-a", "-cp", "0", Long.toString(environment.pid()))
                    .redirectErrorStream(true).start();
            assertThat(taskset.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(taskset.exitValue()).isZero();
        }
        String burn = "{\"action\":\"burn\",\"ms\":" + BURN_MS + "}";
        first = CompletableFuture.runAsync(() -> invoke(burn));
        second = CompletableFuture.runAsync(() -> invoke(burn));
        CompletableFuture.allOf(first, second).get(120, TimeUnit.SECONDS);
        List<Matcher> invocations = invocationLines();
        assertThat(invocations).as(String.join("\n", lines())).hasSize(4);
        // Each environment served a sleep and then a burn, in its own stream.
        List<Matcher> burns = List.of(invocations.get(1), invocations.get(3));
        for (Matcher line : burns) {
            System.out.printf("busy loop sharing one core: %s%n", line.group());
            double cpu = Double.parseDouble(line.group(2));
            double wait = Double.parseDouble(line.group(3));
            double wall = Double.parseDouble(line.group(4));
            assertThat(wait).as("waited for the shared core: %s", line.group()).isGreaterThan(wall * 0.25);
            assertThat(cpu).as(line.group()).isLessThan(wall * 0.8);
        }
    }

    private void invoke(String event) {
        lambda.invoke("burner", Optional.empty(), event.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String stream : logs.streamNames("/aws/lambda/burner")) {
            logs.events("/aws/lambda/burner", stream).forEach(event -> lines.add(event.message()));
        }
        return lines;
    }

    /** Each HOSTCPU invocation line, checked to follow the REPORT line of its request id. */
    private List<Matcher> invocationLines() {
        List<Matcher> found = new ArrayList<>();
        for (String stream : logs.streamNames("/aws/lambda/burner")) {
            List<String> lines = logs.events("/aws/lambda/burner", stream).stream().map(LogStore.LogEvent::message)
                    .toList();
            for (int i = 0; i < lines.size(); i++) {
                Matcher matcher = HostCpuLineTest.INVOCATION.matcher(lines.get(i));
                if (matcher.matches()) {
                    assertThat(lines.get(i - 1)).startsWith("REPORT RequestId: " + matcher.group(1) + "\t");
                    found.add(matcher);
                }
            }
        }
        return found;
    }

    private static int indexOfMatch(List<String> lines, java.util.regex.Pattern pattern) {
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).matches()) {
                return i;
            }
        }
        throw new AssertionError("no line matches " + pattern + " in " + lines);
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix + " in " + lines);
    }

    private static Matcher matcher(String line, java.util.regex.Pattern pattern) {
        Matcher matcher = pattern.matcher(line);
        assertThat(matcher.matches()).isTrue();
        return matcher;
    }
}
