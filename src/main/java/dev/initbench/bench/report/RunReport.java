package dev.initbench.bench.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.stats.EndpointRecorder;
import dev.initbench.bench.stats.EndpointSummary;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.ReportReconciliation;
import dev.initbench.bench.stats.RunStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of report.json (schema version {@value #SCHEMA_VERSION}). Build one with {@link #builder()}; read
 * and write it with {@link ReportJson}.
 *
 * @param schemaVersion always {@value #SCHEMA_VERSION} for reports this build writes
 * @param runId         the run's id (also its report folder's name)
 * @param target        "local" or "aws"
 * @param settings      the scenario
 * @param startedAt     ISO-8601 instant the load started
 * @param finishedAt    ISO-8601 instant the load finished
 * @param endpoints     per endpoint, in the plan's order
 * @param budgets       budget verdicts as the caller decided them
 * @param validity      whether the numbers are the functions' or the host's; null in reports of schema version 2
 * @param hostLoad      what the host itself did during the load; null in reports before schema version 4
 * @param capacityCheck the capacity estimate made before the load beside what its first seconds used; null when
 *                      none was made (AWS, other strategies) and in reports before schema version 4
 */
@JsonIgnoreProperties(value = {"passed", "valid"}, allowGetters = true)
public record RunReport(int schemaVersion, String runId, String target, RunSettings settings, String startedAt,
                        String finishedAt, List<EndpointReport> endpoints, List<BudgetVerdict> budgets,
                        Validity validity, HostLoad hostLoad, CapacityCheck capacityCheck) {

    /**
     * 2: a budget verdict names its budget by identity ({@code "budget": "EAGER_P99"}); 3: each endpoint's
     * {@code cpuContention} and the run's {@code validity}; 4: the run's {@code hostLoad} and {@code capacityCheck};
     * 5: {@code validity.hostMemory} and its status {@code INVALID_HOST_MEMORY} (the environment starts the local
     * cloud refused for the host's memory).
     */
    public static final int SCHEMA_VERSION = 5;
    /** The oldest schema version this build reads. */
    public static final int OLDEST_READABLE_SCHEMA_VERSION = 2;

    public RunReport {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
    }

    /**
     * Whether every budget passed (true when there are none). Of an invalid run ({@link #valid()} false) the
     * budgets are not judged, so it did not pass either.
     */
    @JsonProperty("passed")
    public boolean passed() {
        return valid() && budgets.stream().allMatch(BudgetVerdict::passed);
    }

    /**
     * Whether the numbers are the functions' (not invalid: host saturated or host memory exhausted); true when
     * validity was not judged.
     */
    @JsonProperty("valid")
    public boolean valid() {
        return validity == null || validity.valid();
    }

    public Optional<EndpointReport> endpoint(String name) {
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunReport} from a run's load result and stats. */
    public static final class Builder {
        private String runId;
        private String target;
        private RunSettings settings;
        private LoadResult result;
        private RunStats stats;
        private final Map<String, ReportReconciliation> reconciliations = new LinkedHashMap<>();
        private final Map<String, CpuContention> contentions = new LinkedHashMap<>();
        private final List<BudgetVerdict> budgets = new ArrayList<>();
        private Validity validity;
        private HostLoad hostLoad;
        private CapacityCheck capacityCheck;

        private Builder() {
        }

        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder settings(RunSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The load run and the stats recorded from it (e.g. {@code RunStats.of(result)}). */
        public Builder load(LoadResult result, RunStats stats) {
            this.result = Objects.requireNonNull(result, "result");
            this.stats = Objects.requireNonNull(stats, "stats");
            return this;
        }

        /** The reconciliation of one endpoint's responses with its REPORT lines. */
        public Builder reconciliation(String endpoint, ReportReconciliation reconciliation) {
            reconciliations.put(endpoint, reconciliation);
            return this;
        }

        /** The share of one endpoint's latency spent waiting for a CPU of the host. */
        public Builder contention(String endpoint, CpuContention contention) {
            contentions.put(endpoint, contention);
            return this;
        }

        public Builder validity(Validity validity) {
            this.validity = validity;
            return this;
        }

        /** What the host did during the load ({@code HostLoadSampler}). */
        public Builder hostLoad(HostLoad hostLoad) {
            this.hostLoad = hostLoad;
            return this;
        }

        /** The capacity estimate made before the load against what its first seconds used. */
        public Builder capacityCheck(CapacityCheck capacityCheck) {
            this.capacityCheck = capacityCheck;
            return this;
        }

        public Builder budgets(List<BudgetVerdict> budgets) {
            this.budgets.clear();
            this.budgets.addAll(budgets);
            return this;
        }

        public Builder budget(BudgetVerdict budget) {
            budgets.add(budget);
            return this;
        }

        public RunReport build() {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(result, "load result: call load(result, stats)");
            List<EndpointReport> endpoints = new ArrayList<>();
            for (LoadPlan.Endpoint endpoint : result.plan().endpoints()) {
                EndpointRecorder recorder = stats.endpoint(endpoint.name());
                EndpointSummary summary = recorder.summary();
                endpoints.add(new EndpointReport(endpoint.name(), endpoint.uri().toString(), summary.requests(),
                        summary.outcomes(), summary.all(), summary.successes(), summary.firstInvocations(),
                        summary.laterInvocations(), summary.attribution(), reconciliations.get(endpoint.name()),
                        contentions.get(endpoint.name()),
                        new EndpointReport.EncodedHistograms(LatencyHistograms.encode(recorder.allLatencies()),
                                LatencyHistograms.encode(recorder.successLatencies()))));
            }
            for (String name : reconciliations.keySet()) {
                if (endpoints.stream().noneMatch(e -> e.name().equals(name))) {
                    throw new IllegalArgumentException("reconciliation for unknown endpoint '" + name + "'");
                }
            }
            for (String name : contentions.keySet()) {
                if (endpoints.stream().noneMatch(e -> e.name().equals(name))) {
                    throw new IllegalArgumentException("CPU contention for unknown endpoint '" + name + "'");
                }
            }
            return new RunReport(SCHEMA_VERSION, runId, target, settings, iso(result.startedAt()),
                    iso(result.finishedAt()), endpoints, budgets, validity, hostLoad, capacityCheck);
        }

        private static String iso(Instant instant) {
            return instant.toString();
        }
    }
}
