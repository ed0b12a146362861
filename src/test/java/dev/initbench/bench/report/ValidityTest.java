package dev.initbench.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.stats.CpuContention.Share;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidityTest {

    private static CpuContention measured(double firstWaitMs, double firstLatencyMs, double laterWaitMs,
                                          double laterLatencyMs) {
        return new CpuContention(CpuContention.Source.MEASURED, new Share(5, firstLatencyMs, firstWaitMs, 100),
                new Share(95, laterLatencyMs, laterWaitMs, 100), 0);
    }

    /** Shares are judged per endpoint over first and later invocations together, against the allowed share. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                   | eager first/later wait | lazy first/later wait | allowed | verdict
            "both endpoints uncontended               | 0   | 10  | 0    | 10  | 0.10 | VALID",
            "lazy first invocations waited: over 10 % | 0   | 10  | 1500 | 100 | 0.10 | INVALID_HOST_SATURATED",
            "exactly at the share is still valid      | 0   | 0   | 1000 | 0   | 0.10 | VALID",
            "a looser share accepts it                | 0   | 10  | 1500 | 100 | 0.20 | VALID",
            "eager alone over the share               | 900 | 300 | 0    | 0   | 0.10 | INVALID_HOST_SATURATED"})
    void judgesEachComparedEndpointsCpuWaitShare(String name, double eagerFirstWait, double eagerLaterWait,
                                                  double lazyFirstWait, double lazyLaterWait, double allowed,
                                                  Validity.Status expected) {
        Map<String, CpuContention> compared = new LinkedHashMap<>();
        // Summed latencies: first invocations 5000 ms, later 5000 ms per endpoint: 10000 ms in all.
        compared.put("eager", measured(eagerFirstWait, 5000, eagerLaterWait, 5000));
        compared.put("lazy", measured(lazyFirstWait, 5000, lazyLaterWait, 5000));

        Validity validity = Validity.judge(compared, allowed);

        assertThat(validity.status()).isEqualTo(expected);
        assertThat(validity.valid()).isEqualTo(expected == Validity.Status.VALID);
        assertThat(validity.endpoints()).extracting(Validity.EndpointShare::endpoint).containsExactly("eager", "lazy");
    }

    @org.junit.jupiter.api.Test
    void anInvalidVerdictNamesTheFiguresAndTheHost() {
        Validity validity = Validity.judge(Map.of("lazy", measured(1500, 5000, 100, 5000)), 0.10);

        assertThat(validity.summary()).startsWith("INVALID: host saturated: lazy waited for a CPU of this host 16.0 %")
                .contains("first invocations 30.0 %, later 2.0 %").contains("allowed 10.0 %")
                .contains("The host, not the function, made these numbers");
    }

    @org.junit.jupiter.api.Test
    void awsAndUnmeasuredRunsAreNeverReportedValid() {
        assertThat(Validity.judge(Map.of("eager", CpuContention.notMeasuredOnAws()), 0.1).status())
                .isEqualTo(Validity.Status.NOT_APPLICABLE);
        CpuContention noLines = new CpuContention(CpuContention.Source.NO_HOSTCPU_LINES, Share.NONE, Share.NONE, 3);
        assertThat(Validity.judge(Map.of("eager", noLines), 0.1).status()).isEqualTo(Validity.Status.NOT_MEASURED);
    }

    private static final Validity.HostMemoryRefusals EAGER_THROTTLED =
            new Validity.HostMemoryRefusals("eager", 37, 0, 40, 1100, 150, 1024);

    @org.junit.jupiter.api.Test
    void refusedStartsForHostMemoryMakeTheRunInvalidWhateverItsCpu() {
        Map<String, CpuContention> uncontended = Map.of("eager", measured(0, 5000, 10, 5000));

        Validity validity = Validity.judge(uncontended, 0.25, java.util.List.of(EAGER_THROTTLED));

        assertThat(validity.status()).isEqualTo(Validity.Status.INVALID_HOST_MEMORY);
        assertThat(validity.valid()).isFalse();
        assertThat(validity.summary()).startsWith("INVALID: host memory exhausted: the local cloud refused to start"
                        + " execution environments because this host's memory could not hold them (eager: 37"
                        + " invocation(s) throttled by this host's memory (of 40 answered 429), the last with 1100 MB"
                        + " available, 150 MB needed and 1024 MB kept free)")
                .contains("Those 429s are the host's answers, not the functions' latency")
                .contains("Lower the provisioned concurrency").contains(". CPU: eager waited for a CPU");
        assertThat(validity.status().budgetsNotJudgedBecause()).isEqualTo("the host's memory was exhausted");
    }

    @org.junit.jupiter.api.Test
    void hostMemoryComesBeforeSaturationAndNamesRefusedProvisionedStarts() {
        Validity validity = Validity.judge(Map.of("lazy", measured(1500, 5000, 100, 5000)), 0.10,
                java.util.List.of(new Validity.HostMemoryRefusals("lazy", 0, 2, 0, 900, 150, 1024)));

        assertThat(validity.status()).isEqualTo(Validity.Status.INVALID_HOST_MEMORY);
        assertThat(validity.summary()).contains("lazy: 0 invocation(s) throttled by this host's memory (of 0"
                + " answered 429) and 2 provisioned start(s) refused");
    }

    @org.junit.jupiter.api.Test
    void noRefusalLeavesTheCpuVerdict() {
        assertThat(Validity.judge(Map.of("eager", measured(0, 5000, 10, 5000)), 0.25, java.util.List.of()).status())
                .isEqualTo(Validity.Status.VALID);
    }
}
