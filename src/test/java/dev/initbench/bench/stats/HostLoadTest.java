package dev.initbench.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.initbench.bench.stats.HostLoadReading.CpuTimes;
import dev.initbench.bench.stats.HostLoadReading.LoadAverage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host load from canned /proc text: parsing, and the arithmetic from counters to busy cores and phases. */
class HostLoadTest {

    private static final long SECOND = 1_000_000_000L;

    /** A 2-CPU /proc/stat; the all-core line's counters are given, the per-CPU lines only counted. */
    private static String stat(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
                               long steal) {
        return "cpu  " + user + " " + nice + " " + system + " " + idle + " " + iowait + " " + irq + " " + softirq + " "
                + steal + " 0 0\n"
                + "cpu0 1 2 3 4 5 6 7 8 0 0\ncpu1 1 2 3 4 5 6 7 8 0 0\n"
                + "intr 11264970 0 0\nctxt 40756568\nbtime 1764590000\nprocesses 8467\nprocs_running 3\n";
    }

    private static HostLoadReading reading(double atSeconds, String stat, String loadavg) {
        return new HostLoadReading((long) (atSeconds * SECOND), CpuTimes.parse(stat), LoadAverage.parse(loadavg));
    }

    @Test
    void procStatIsReadAsBusyIdleIowaitAndStealTicksOverTheCpusItLists() {
        CpuTimes cpu = CpuTimes.parse(stat(1000, 10, 300, 5000, 40, 5, 15, 7));

        assertThat(cpu.busy()).isEqualTo(1000 + 10 + 300 + 5 + 15);
        assertThat(cpu.idle()).isEqualTo(5000);
        assertThat(cpu.iowait()).isEqualTo(40);
        assertThat(cpu.steal()).isEqualTo(7);
        assertThat(cpu.cores()).isEqualTo(2);
        assertThat(cpu.total()).isEqualTo(1330 + 5000 + 40 + 7);
    }

    @Test
    void procLoadavgIsReadAsLoadAveragesAndRunnableThreads() {
        LoadAverage load = LoadAverage.parse("4.64 1.58 1.09 12/427 8467\n");

        assertThat(load.oneMinute()).isEqualTo(4.64);
        assertThat(load.fiveMinutes()).isEqualTo(1.58);
        assertThat(load.fifteenMinutes()).isEqualTo(1.09);
        assertThat(load.runningThreads()).isEqualTo(12);
        assertThat(load.threads()).isEqualTo(427);
    }

    @Test
    void malformedProcTextIsRefusedShowingWhatWasRead() {
        assertThatThrownBy(() -> CpuTimes.parse("intr 1 2 3\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without its 'cpu' line");
        assertThatThrownBy(() -> CpuTimes.parse("cpu  1 2 3 4\ncpu0 1 2 3 4\n"))
                .hasMessageContaining("4 counters, expected at least 8");
        assertThatThrownBy(() -> CpuTimes.parse("cpu  1 2 3 4 5 6 7 x\ncpu0 1 2 3 4 5 6 7 8\n"))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> CpuTimes.parse("cpu  1 2 3 4 5 6 7 8\n"))
                .hasMessageContaining("without 'cpuN' lines");
        assertThatThrownBy(() -> LoadAverage.parse("0.5 0.4 0.3"))
                .hasMessageContaining("/proc/loadavg not of the form").hasMessageContaining("'0.5 0.4 0.3'");
    }

    @Test
    void eachIntervalIsBusyCoresIdleShareAndRunnableThreadsFromCounterDifferences() {
        // 1 s: 2 CPUs offer 200 ticks; 150 busy, 40 idle, 6 iowait, 4 steal.
        HostLoad host = HostLoad.of(HostLoad.Role.BENCHMARK_HOST, List.of(
                reading(0, stat(1000, 0, 0, 1000, 0, 0, 0, 0), "0.50 0.40 0.30 1/300 1"),
                reading(1, stat(1100, 10, 30, 1040, 6, 5, 5, 4), "2.00 0.80 0.40 9/310 2")),
                0, List.of(new HostLoad.PhaseStart("steady", 0)));

        assertThat(host.measured()).isTrue();
        assertThat(host.cores()).isEqualTo(2);
        HostLoad.Second second = host.seconds().get(0);
        assertThat(second.busyCores()).isCloseTo(1.5, within(1e-9));
        assertThat(second.idlePercent()).isCloseTo(23.0, within(1e-9));
        assertThat(second.stealPercent()).isCloseTo(2.0, within(1e-9));
        assertThat(second.runningThreads()).isEqualTo(9);
        assertThat(host.loadAverageBefore()).isEqualTo(0.50);
        assertThat(host.loadAverageAfter()).isEqualTo(2.00);
        assertThat(host.summary()).isEqualTo("busy cores mean 1.50, peak 1.50 of 2; min idle 23.0 %; peak running"
                + " threads 9; load average 0.50 → 2.00 (1 min)");
    }

    @Test
    void theLoadAndEachPhaseSumUpTheirSecondsAndTheWindowCountsPartialSeconds() {
        // Busy cores per second: 0.5, 1.0, 2.0 (idle 75 %, 50 %, 0 %); the second phase starts at 2 s.
        HostLoad host = HostLoad.of(HostLoad.Role.BENCHMARK_HOST, List.of(
                reading(0.0, stat(0, 0, 0, 0, 0, 0, 0, 0), "1.00 1 1 1/100 1"),
                reading(1.0, stat(50, 0, 0, 150, 0, 0, 0, 0), "1.00 1 1 3/100 1"),
                reading(2.0, stat(150, 0, 0, 250, 0, 0, 0, 0), "1.00 1 1 7/100 1"),
                reading(3.0, stat(350, 0, 0, 250, 0, 0, 0, 0), "3.00 1 1 5/100 1")),
                // The load's origin is 0.5 s after the first reading.
                SECOND / 2, List.of(new HostLoad.PhaseStart("steady", 0), new HostLoad.PhaseStart("scale-out", 2)));

        assertThat(host.seconds()).extracting(HostLoad.Second::startSeconds).containsExactly(-0.5, 0.5, 1.5);
        HostLoad.PhaseLoad whole = host.load();
        assertThat(whole.intervals()).isEqualTo(3);
        assertThat(whole.busyCoreSeconds()).isCloseTo(3.5, within(1e-9));
        assertThat(whole.meanBusyCores()).isCloseTo(3.5 / 3, within(1e-9));
        assertThat(whole.peakBusyCores()).isCloseTo(2.0, within(1e-9));
        assertThat(whole.minIdlePercent()).isCloseTo(0.0, within(1e-9));
        assertThat(whole.peakRunningThreads()).isEqualTo(7);
        // Midpoints 0, 1 and 2 s: the first two are steady (the first includes the time before the origin).
        assertThat(host.phases()).extracting(HostLoad.PhaseLoad::name).containsExactly("steady", "scale-out");
        HostLoad.PhaseLoad steady = host.phases().get(0);
        assertThat(steady.intervals()).isEqualTo(2);
        assertThat(steady.fromSeconds()).isEqualTo(-0.5);
        assertThat(steady.toSeconds()).isEqualTo(2.0);
        assertThat(steady.meanBusyCores()).isCloseTo(0.75, within(1e-9));
        assertThat(steady.minIdlePercent()).isCloseTo(50.0, within(1e-9));
        assertThat(steady.peakRunningThreads()).isEqualTo(7);
        HostLoad.PhaseLoad scaleOut = host.phases().get(1);
        assertThat(scaleOut.intervals()).isEqualTo(1);
        assertThat(scaleOut.toSeconds()).isEqualTo(2.5);
        assertThat(scaleOut.peakBusyCores()).isCloseTo(2.0, within(1e-9));
        // [0, 2): half of the first second (0.25), the whole second (1.0), half of the third (1.0).
        assertThat(host.busyCoreSeconds(0, 2)).isCloseTo(2.25, within(1e-9));
        assertThat(host.busyCoreSeconds(-10, 10)).isCloseTo(3.5, within(1e-9));
    }

    @Test
    void anIntervalShorterThanOneTickJoinsTheNext() {
        HostLoad host = HostLoad.of(HostLoad.Role.CLIENT_HOST, List.of(
                reading(0.0, stat(0, 0, 0, 0, 0, 0, 0, 0), "0 0 0 1/1 1"),
                reading(0.001, stat(0, 0, 0, 0, 0, 0, 0, 0), "0 0 0 1/1 1"),
                reading(1.0, stat(100, 0, 0, 100, 0, 0, 0, 0), "0 0 0 2/1 1")),
                0, List.of(new HostLoad.PhaseStart("steady", 0)));

        assertThat(host.seconds()).singleElement().satisfies(second -> {
            assertThat(second.startSeconds()).isEqualTo(0.0);
            assertThat(second.durationSeconds()).isEqualTo(1.0);
            assertThat(second.busyCores()).isCloseTo(1.0, within(1e-9));
        });
    }

    @Test
    void tooFewReadingsOrCountersThatNeverMovedAreNotMeasuredSayingWhy() {
        HostLoadReading only = reading(0, stat(1, 0, 0, 1, 0, 0, 0, 0), "0 0 0 1/1 1");
        assertThat(HostLoad.of(HostLoad.Role.BENCHMARK_HOST, List.of(only), 0, List.of()).summary())
                .isEqualTo("not measured: fewer than two readings of /proc/stat during the load");
        assertThat(HostLoad.of(HostLoad.Role.BENCHMARK_HOST, List.of(only, only), 0, List.of()).summary())
                .isEqualTo("not measured: the CPU counters of /proc/stat did not advance during the load");
        assertThat(HostLoad.notMeasured(HostLoad.Role.CLIENT_HOST, "no /proc").busyCoreSeconds(0, 5)).isZero();
    }
}
