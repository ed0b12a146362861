package dev.initbench.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InitBenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = InitBenchCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpExplainsEveryCommandAndOption() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("run", "local-cloud", "compare");

        assertThat(execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("--target", "--provisioned-concurrency", "--arrival-rate",
                "--eager-p99-budget", "--report-dir", "Exit status");
    }

    @Test
    void aBadSettingIsRefusedBeforeAnythingStartsNamingItAndWhatIsAllowed() {
        assertThat(execute("run", "--provisioned-concurrency", "zero")).isEqualTo(2);
        assertThat(err.toString()).contains("provisionedConcurrency").contains("must be a number from 1 to 3000");

        assertThat(execute("run", "--target", "gcp")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown target 'gcp': allowed values are local, aws");
    }

    @Test
    void preflightAloneChecksTheLocalTargetAndCreatesNothing() {
        assertThat(execute("run", "--preflight")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("preflight (creates nothing): passed", "PASS identity",
                "PASS concurrency", "PASS template", "PASS permissions");
        assertThat(err.toString()).doesNotContain("creating stack", "uploading");
    }

    @Test
    void localCloudExplainsFreezingAndRefusesAValueThatIsNotABoolean() {
        assertThat(execute("local-cloud", "--help")).isZero();
        assertThat(out.toString()).contains("--freeze", "Freeze execution environments");

        assertThat(execute("local-cloud", "--freeze", "maybe")).isEqualTo(2);
        assertThat(err.toString()).contains("--freeze").contains("maybe");
    }

    @Test
    void localCloudExplainsTheServiceLatencyModelAndRefusesAFigureOutOfRange() {
        assertThat(execute("local-cloud", "--help")).isZero();
        assertThat(out.toString()).contains("--service-latency-ms", "--connection-setup-ms", "an assumption");

        assertThat(execute("local-cloud", "--port", "0", "--service-latency-ms", "-5")).isEqualTo(2);
        assertThat(err.toString()).contains("--service-latency-ms -5")
                .contains("service latency perRequest must be from 0 to 10000 ms, got -5 ms");
    }

    @Test
    void localCloudExplainsTheHostMemoryFloorAndRefusesANegativeOne() {
        assertThat(execute("local-cloud", "--help")).isZero();
        assertThat(out.toString()).contains("--host-memory-floor-mb", "AWS has no such limit");

        assertThat(execute("local-cloud", "--port", "0", "--host-memory-floor-mb", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--host-memory-floor-mb -1")
                .contains("hostMemoryFloorMb must be between 0 (guard off) and 1048576 MB, was -1");
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThat(execute("run", "--warmup")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--warmup'");
    }

    @Test
    void compareRefusesUnreadableReportsWithExitStatusTwo(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("report.json");
        Files.writeString(corrupt, "{not json");

        assertThat(execute("compare", corrupt.toString(), corrupt.toString())).isEqualTo(2);
        assertThat(out.toString() + err).contains("report.json");
    }

    @Test
    void compareRefusesAThresholdOutOfRange(@TempDir Path dir) {
        Path missing = dir.resolve("none.json");

        assertThat(execute("compare", missing.toString(), missing.toString(), "--threshold", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("threshold");
    }
}
