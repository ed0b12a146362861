package dev.initbench.bench.stats;

import static dev.initbench.bench.stats.EndpointRecorderTest.body;
import static dev.initbench.bench.stats.EndpointRecorderTest.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostCpuLineTest {

    static String invocation(String requestId, double cpuMs, double waitMs, double wallMs) {
        return String.format(java.util.Locale.ROOT, "HOSTCPU RequestId: %s\tCPU: %.1f ms\tCPU Wait: %.1f ms\tWall: %.1f ms"
                + "\tFrozen: 0.0 ms\t", requestId, cpuMs, waitMs, wallMs);
    }

    @Test
    void readsInvocationAndInitLinesAndSkipsOthers() {
        List<HostCpuLine> lines = HostCpuLine.parseAll(List.of(
                "START RequestId: r1 Version: 1",
                "REPORT RequestId: r1\tDuration: 12.0 ms\tBilled Duration: 12 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t",
                "HOSTCPU RequestId: r1\tCPU: 12.3 ms\tCPU Wait: 4.5 ms\tWall: 20.1 ms\tFrozen: 300.0 ms\t",
                "HOSTCPU Init\tType: provisioned-concurrency\tCPU: 1500.2 ms\tCPU Wait: 80.0 ms\tWall: 2100.9 ms\t"));

        assertThat(lines).containsExactly(
                new HostCpuLine.Invocation("r1", 12.3, 4.5, 20.1, 300.0),
                new HostCpuLine.Init("provisioned-concurrency", 1500.2, 80.0, 2100.9));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HOSTCPU RequestId: r1\tCPU: 1.0 ms\tWall: 2.0 ms\tFrozen: 0.0 ms\t|'CPU Wait: …'",
            "HOSTCPU RequestId: r1\tCPU: lots\tCPU Wait: 1.0 ms\tWall: 2.0 ms\t|'CPU: lots'",
            "HOSTCPU Init\tCPU: 1.0 ms\tCPU Wait: 1.0 ms\tWall: 2.0 ms\t|'Type: …'",
            "HOSTCPU CPU: 1.0 ms\tCPU Wait: 1.0 ms\tWall: 2.0 ms\t|'RequestId: …'"})
    void refusesAHostCpuLineWithAMissingOrBadFieldNamingIt(String line, String named) {
        String unescaped = line.replace("\\t", "\t");
        assertThatThrownBy(() -> HostCpuLine.parse(unescaped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named).hasMessageContaining(unescaped);
    }

    @Test
    void contentionJoinsHostCpuLinesToResponsesByRequestIdAndSplitsFirstFromLaterInvocations() {
        EndpointRecorder recorder = new EndpointRecorder("lazy");
        recorder.record(success("lazy", 0, 1000, body("pc-1", "provisioned-concurrency", 1, 150, "r0")));
        recorder.record(success("lazy", 1, 3000, body("pc-2", "provisioned-concurrency", 1, 150, "r1")));
        recorder.record(success("lazy", 2, 10, body("pc-1", "provisioned-concurrency", 2, 0, "r2")));
        recorder.record(success("lazy", 3, 30, body("pc-2", "provisioned-concurrency", 2, 0, "r3")));
        recorder.record(success("lazy", 4, 20, body("pc-2", "provisioned-concurrency", 3, 0, "r4")));

        CpuContention contention = recorder.contention(List.of(
                invocation("r0", 500, 300, 990), invocation("r1", 800, 1700, 2990),
                invocation("r2", 5, 1, 9), invocation("r3", 5, 2, 29),
                invocation("other-caller", 5, 1000, 2000)));

        assertThat(contention.source()).isEqualTo(CpuContention.Source.MEASURED);
        assertThat(contention.unmatched()).as("r4 has no line").isEqualTo(1);
        assertThat(contention.firstInvocations().requests()).isEqualTo(2);
        assertThat(contention.firstInvocations().cpuWaitShare()).isCloseTo(2000.0 / 4000, within());
        assertThat(contention.firstInvocations().meanCpuMs()).isCloseTo(650, within());
        assertThat(contention.laterInvocations().requests()).isEqualTo(2);
        assertThat(contention.laterInvocations().cpuWaitShare()).isCloseTo(3.0 / 40, within());
        assertThat(contention.all().cpuWaitShare()).isCloseTo(2003.0 / 4040, within());
        assertThat(contention.firstInvocations().percent()).isEqualTo("50.0 %");
    }

    @Test
    void withoutAnyHostCpuLineTheContentionIsNotMeasuredRatherThanZero() {
        EndpointRecorder recorder = new EndpointRecorder("eager");
        recorder.record(success("eager", 0, 100, body("pc-1", "provisioned-concurrency", 1, 0, "r0")));

        CpuContention contention = recorder.contention(List.of("REPORT RequestId: r0\tDuration: 1.0 ms\t"
                + "Billed Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t"));

        assertThat(contention.source()).isEqualTo(CpuContention.Source.NO_HOSTCPU_LINES);
        assertThat(contention.measured()).isFalse();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
