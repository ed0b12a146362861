package dev.initbench.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.Validity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunCommandExitStatusTest {

    private static RunReport run(Validity validity) {
        return new RunReport(RunReport.SCHEMA_VERSION, "20261201-180000-abcd", "local", null, "2026-12-01T18:00:00Z",
                "2026-12-01T18:01:00Z", List.of(), List.of(), validity, null, null);
    }

    @Test
    void aRunTheHostsMemoryThrottledHasItsOwnExitStatus() {
        Validity throttled = Validity.judge(Map.of(), 0.25,
                List.of(new Validity.HostMemoryRefusals("eager", 3, 0, 3, 1100, 150, 1024)));

        assertThat(RunCommand.exitStatus(run(throttled))).isEqualTo(RunCommand.EXIT_INVALID_HOST_MEMORY).isEqualTo(7);
        assertThat(RunCommand.exitStatus(run(Validity.notApplicable(0.25)))).isZero();
    }
}
