package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.logs.LogStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HOSTCPU lines in the exact format the benchmark parses, and the interval arithmetic behind them. */
class HostCpuLineTest {

    /** The invocation line as the benchmark's reader matches it: tab-separated, one decimal, trailing tab. */
    static final Pattern INVOCATION = Pattern.compile("HOSTCPU RequestId: (\\S+)\\tCPU: (\\d+\\.\\d) ms\\t"
            + "CPU Wait: (\\d+\\.\\d) ms\\tWall: (\\d+\\.\\d) ms\\tFrozen: (\\d+\\.\\d) ms\\t");
    static final Pattern INIT = Pattern.compile("HOSTCPU Init\\tType: (on-demand|provisioned-concurrency)\\t"
            + "CPU: (\\d+\\.\\d) ms\\tCPU Wait: (\\d+\\.\\d) ms\\tWall: (\\d+\\.\\d) ms\\t");

    private final LogStore logs = new LogStore();
    private final PlatformLog log = new PlatformLog(logs, new FunctionVersion("f", "arn:aws:lambda:us-east-1:1:function:f",
            "1", "java17", "h", 128, 3, "r", "", Map.of(), Path.of("/tmp"), 0, "", "", ""), "0123");

    @Test
    void invocationLineHasExactlyTheAgreedFormat() {
        log.hostCpu("8f5c3a52-0000-4000-8000-000000000001", new HostCpu(12.34, 0.05, 250.0, 0));
        assertThat(lines()).containsExactly("HOSTCPU RequestId: 8f5c3a52-0000-4000-8000-000000000001\tCPU: 12.3 ms\t"
                + "CPU Wait: 0.1 ms\tWall: 250.0 ms\tFrozen: 0.0 ms\t");
        Matcher matcher = INVOCATION.matcher(lines().get(0));
        assertThat(matcher.matches()).isTrue();
        assertThat(matcher.group(1)).isEqualTo("8f5c3a52-0000-4000-8000-000000000001");
    }

    @Test
    void initLineHasExactlyTheAgreedFormat() {
        log.hostCpuInit(InitializationType.PROVISIONED_CONCURRENCY, new HostCpu(1523.26, 310.0, 2011.96, 0));
        log.hostCpuInit(InitializationType.ON_DEMAND, new HostCpu(0, 0, 0, 0));
        assertThat(lines()).containsExactly(
                "HOSTCPU Init\tType: provisioned-concurrency\tCPU: 1523.3 ms\tCPU Wait: 310.0 ms\tWall: 2012.0 ms\t",
                "HOSTCPU Init\tType: on-demand\tCPU: 0.0 ms\tCPU Wait: 0.0 ms\tWall: 0.0 ms\t");
        assertThat(lines()).allMatch(line -> INIT.matcher(line).matches());
    }

    @Test
    void numbersUseAPointWhateverTheDefaultLocale() {
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            log.hostCpu("id", new HostCpu(1.25, 2.5, 3.75, 4.0));
        } finally {
            java.util.Locale.setDefault(previous);
        }
        assertThat(INVOCATION.matcher(lines().get(0)).matches()).as(lines().get(0)).isTrue();
    }

    @Test
    void intervalIsTheDifferenceOfTwoSamples() {
        HostCpu.Sample start = new HostCpu.Sample(1_000_000,
                java.util.Map.of(1L, new ProcessStats.ThreadTimes(1_000_000, 2_000_000)), 5_000_000, 10_000_000);
        HostCpu.Sample end = new HostCpu.Sample(31_000_000,
                java.util.Map.of(1L, new ProcessStats.ThreadTimes(31_000_000, 2_500_000)), 5_000_000, 110_000_000);
        assertThat(start.until(end)).isEqualTo(new HostCpu(30.0, 0.5, 100.0, 0.0));
    }

    @Test
    void cpuWaitIsTheBusiestThreadsNotTheSumAndNeverExceedsTheInterval() {
        // Thread 1 runs the handler (60 ms CPU, 30 ms wait); thread 2, a compiler thread, mostly waits (40 ms);
        // thread 3 starts in the interval and waits 20 ms. The sum of waits (90 ms) would count the others too.
        HostCpu.Sample start = new HostCpu.Sample(0, java.util.Map.of(
                1L, new ProcessStats.ThreadTimes(0, 0), 2L, new ProcessStats.ThreadTimes(0, 0)), 0, 0);
        HostCpu.Sample end = new HostCpu.Sample(70_000_000, java.util.Map.of(
                1L, new ProcessStats.ThreadTimes(60_000_000, 30_000_000),
                2L, new ProcessStats.ThreadTimes(10_000_000, 40_000_000),
                3L, new ProcessStats.ThreadTimes(0, 20_000_000)), 0, 100_000_000);
        assertThat(start.until(end)).isEqualTo(new HostCpu(70.0, 30.0, 100.0, 0.0));

        HostCpu.Sample starved = new HostCpu.Sample(1_000_000, java.util.Map.of(
                1L, new ProcessStats.ThreadTimes(1_000_000, 500_000_000)), 0, 50_000_000);
        assertThat(start.until(starved).cpuWaitMs()).isEqualTo(50.0);
    }

    private List<String> lines() {
        return logs.events(log.group(), log.stream()).stream().map(LogStore.LogEvent::message).toList();
    }
}
