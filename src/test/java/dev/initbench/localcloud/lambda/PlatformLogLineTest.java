package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PlatformLog's lines, built by appending, are byte for byte what {@code String.format} made of them before (the
 * REPORT and HOSTCPU formats are parsed by the benchmark and by tools written for AWS's lines).
 */
class PlatformLogLineTest {

    private static final String REQUEST_ID = "8f5e2b1c-3d4a-4e6f-9a7b-0c1d2e3f4a5b";

    /** Values where rounding is decided: halves at both scales, carries into a new digit, tiny and huge values. */
    private static final double[] EDGES = {0, -0.0, 0.004, 0.005, 0.0049999, 0.015, 0.025, 0.045, 0.05, 0.095, 0.5,
            0.995, 1.005, 1.015, 1.25, 1.35, 2.675, 9.995, 99.995, 999.995, 999.9949, 1000, 0.0001, 0.00095, 1.0E-7,
            4.9E-324, 0.1, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 10.05, 12.345, 123.455, 1234.5678,
            9_999_999.995, 12_345_678.9, 1.0E7, 1.0E15, 1.2345E16, 9.99999999999E20, 1.7976931348623157E308,
            Double.MIN_NORMAL, -1.005, -999.995, 86_400_000.0, 900_000.004999, 3.14159, 2.5E-3, 7.5E-2};

    @Test
    void fixedPointDigitsMatchStringFormatAtBothScales() {
        List<Double> values = new ArrayList<>();
        for (double edge : EDGES) {
            values.add(edge);
        }
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextDouble() * 2_000);                            // typical durations in ms
            values.add(random.nextInt(1_000_000) / 1000.0);                     // three decimals: halves at scale 2
            values.add(random.nextInt(100_000) / 100.0 + 0.005);                // exact-looking halves
            values.add(Math.pow(10, random.nextDouble() * 24 - 8));             // 1e-8 .. 1e16
        }
        values.add(Double.NaN);
        values.add(Double.POSITIVE_INFINITY);
        for (double value : values) {
            for (int scale = 1; scale <= 2; scale++) {
                String expected = String.format(Locale.ROOT, "%." + scale + "f", value);
                assertThat(PlatformLog.appendFixed(new StringBuilder(), value, scale).toString())
                        .as("%s at scale %d", value, scale).isEqualTo(expected);
            }
        }
    }

    @Test
    void reportLineIsTheFormattedOne() {
        for (double duration : EDGES) {
            double positive = Math.abs(duration);
            for (OptionalDouble init : List.of(OptionalDouble.empty(), OptionalDouble.of(positive * 3 + 0.005))) {
                long billed = (long) Math.ceil(positive + init.orElse(0));
                String expected = String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled "
                                + "Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t", REQUEST_ID, positive,
                        billed, 1769, 187L)
                        + (init.isPresent() ? String.format(Locale.ROOT, "Init Duration: %.2f ms\t", init.getAsDouble())
                        : "");
                assertThat(PlatformLog.reportLine(REQUEST_ID, positive, 1769, 187L, init)).isEqualTo(expected);
            }
        }
    }

    @Test
    void hostCpuAndInitLinesAreTheFormattedOnes() {
        for (double value : EDGES) {
            double ms = Math.abs(value);
            HostCpu usage = new HostCpu(ms, ms / 3, ms * 7, 0.05);
            assertThat(PlatformLog.hostCpuLine(REQUEST_ID, usage)).isEqualTo(String.format(Locale.ROOT,
                    "HOSTCPU RequestId: %s\tCPU: %.1f ms\tCPU Wait: %.1f ms\tWall: %.1f ms\tFrozen: %.1f ms\t",
                    REQUEST_ID, usage.cpuMs(), usage.cpuWaitMs(), usage.wallMs(), usage.frozenMs()));
            for (InitializationType type : InitializationType.values()) {
                assertThat(PlatformLog.hostCpuInitLine(type, usage)).isEqualTo(String.format(Locale.ROOT,
                        "HOSTCPU Init\tType: %s\tCPU: %.1f ms\tCPU Wait: %.1f ms\tWall: %.1f ms\t", type.value(),
                        usage.cpuMs(), usage.cpuWaitMs(), usage.wallMs()));
            }
            assertThat(PlatformLog.initReportLine(ms, "timeout")).isEqualTo(String.format(Locale.ROOT,
                    "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s", ms, "timeout"));
        }
        for (int seconds : new int[] {1, 3, 900}) {
            assertThat(PlatformLog.timedOutMessage(REQUEST_ID, seconds)).isEqualTo(String.format(Locale.ROOT,
                    "RequestId: %s Error: Task timed out after %.2f seconds", REQUEST_ID, (double) seconds));
        }
    }
}
