package dev.initbench.bench.run;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.deploy.DeployedStack;
import dev.initbench.bench.deploy.RunId;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.load.RequestRecord;
import dev.initbench.bench.report.ReportWriter;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.stats.EndpointSummary;
import dev.initbench.bench.stats.RunStats;
import java.util.List;

/**
 * Everything one benchmark run measured: its load split into steady and burst scopes ({@link RunScopes}), the
 * statistics, the report and where its files went.
 *
 * @param runId    the run
 * @param settings the scenario it ran
 * @param stack    the stack it ran against
 * @param load     every request, the burst's under {@code <endpoint>.<burst phase>}
 * @param stats    the recorders of all four scopes
 * @param report   the report, budget verdicts included
 * @param files    where the report files were written
 */
public record BenchmarkResult(RunId runId, ScenarioSettings settings, DeployedStack stack, LoadResult load,
                              RunStats stats, RunReport report, ReportWriter.ReportFiles files) {

    /** An endpoint's steady-phase summary (a selected strategy's id, e.g. {@link BenchmarkSession#EAGER}). */
    public EndpointSummary steady(String endpoint) {
        return stats.endpoint(endpoint).summary();
    }

    /** An endpoint's burst-phase summary. */
    public EndpointSummary burst(String endpoint) {
        return stats.endpoint(burstName(endpoint)).summary();
    }

    /** An endpoint's steady-phase requests. */
    public List<RequestRecord> steadyRecords(String endpoint) {
        return load.records(endpoint);
    }

    /** An endpoint's burst-phase requests. */
    public List<RequestRecord> burstRecords(String endpoint) {
        return load.records(burstName(endpoint));
    }

    public int steadyPeakConcurrency(String endpoint) {
        return RunScopes.peakConcurrency(steadyRecords(endpoint));
    }

    public int burstPeakConcurrency(String endpoint) {
        return RunScopes.peakConcurrency(burstRecords(endpoint));
    }

    private String burstName(String endpoint) {
        return RunScopes.burstEndpoint(endpoint, settings.burst().name());
    }
}
