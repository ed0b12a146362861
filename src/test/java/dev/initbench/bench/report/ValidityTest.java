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
}
