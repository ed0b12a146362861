package dev.initbench.bench.cli;

import dev.initbench.bench.config.ConfigException;
import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.deploy.DeploymentException;
import dev.initbench.bench.preflight.PreflightException;
import dev.initbench.bench.preflight.PreflightReport;
import dev.initbench.bench.report.ReportText;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.Validity;
import dev.initbench.bench.run.BenchmarkResult;
import dev.initbench.bench.run.BenchmarkSession;
import dev.initbench.bench.run.CapacityRefusedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Deploys, loads, measures, reports and tears down: the same flow as the JUnit suite, outside JUnit. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deploys template.yaml with the selected init strategies (default eager,lazy), drives the same"
                + " open-model load at each one's endpoint, prints their comparison and writes report.json,"
                + " summary.md, report.html and .hgrm files.",
                "Everything it creates is deleted when it ends, also on failure or Ctrl-C.",
                "Settings not given here come from the scenario defaults of the target (or --config).",
                "Every run starts with a preflight that creates nothing (identity, region, account concurrency,"
                        + " template, permissions through IAM's policy simulator, cost); --preflight runs only it.",
                "Exit status: 0 all budgets passed (or the preflight passed), 1 a budget failed, 2 invalid option or"
                        + " setting, 3 the run failed (deploy, load or teardown), 4 the preflight found something"
                        + " missing (nothing was created), 5 invalid: the local host was saturated (its compared"
                        + " requests spent more than --max-cpu-wait-share of their latency waiting for a CPU; budgets"
                        + " not judged), 6 refused before the first request: the local capacity estimate says the"
                        + " scenario would saturate this host (everything was torn down; --allow-saturation overrides),"
                        + " 7 invalid: the local host's memory was exhausted (the local cloud refused to start"
                        + " environments and throttled requests with 429; budgets not judged)."},
        exitCodeOnInvalidInput = 2)
public final class RunCommand implements Callable<Integer> {

    /** Exit status of a run whose numbers the host made (see the command's description). */
    public static final int EXIT_INVALID_HOST_SATURATED = 5;
    /** Exit status of a local scenario refused by its capacity estimate before its first request. */
    public static final int EXIT_CAPACITY_REFUSED = 6;
    /** Exit status of a local run in which the host's memory refused environment starts (429s the host's). */
    public static final int EXIT_INVALID_HOST_MEMORY = 7;

    @Spec
    private CommandSpec spec;

    @Option(names = "--target", paramLabel = "local|aws",
            description = "Where to run: the embedded local cloud (default) or real AWS (default credential chain).")
    private String target;

    @Option(names = "--preflight", description = "Only check that the run can work, for free: caller identity, region,"
            + " account concurrency, template validation, every permission (IAM policy simulator) and the cost"
            + " estimate. Creates nothing.")
    private boolean preflightOnly;

    @Option(names = "--config", paramLabel = "FILE", description = "Scenario file overriding the built-in defaults.")
    private Path config;

    @Option(names = "--region", description = "AWS region (default on AWS: the SDK's region chain, i.e. AWS_REGION or"
            + " the profile's region; printed before anything is created; locally us-east-1).")
    private String region;

    @Option(names = "--bucket", description = "Existing S3 bucket for the artifact (default: a run-scoped bucket).")
    private String bucket;

    @Option(names = "--provisioned-concurrency", paramLabel = "N", description = "Provisioned environments per function.")
    private String provisionedConcurrency;

    @Option(names = "--memory-size", paramLabel = "MB", description = "Memory of each function.")
    private String memorySize;

    @Option(names = "--strategies", paramLabel = "LIST", description = "Comma-separated strategies to deploy and"
            + " compare, any of eager, lazy, async-init, esm, cjs (default eager,lazy). Claims asserted where both"
            + " are selected: eager below lazy, esm below cjs.")
    private String strategies;

    @Option(names = "--no-freeze", description = "Local target only: do not freeze idle execution environments"
            + " (Lambda always does), e.g. to show what freezing changes.")
    private boolean noFreeze;

    @Option(names = "--service-latency-ms", paramLabel = "MS", description = "Local target only: least time the"
            + " local cloud takes to answer an execution environment's request, standing in for AWS's HTTPS round"
            + " trip and service time (default 10, an assumption; 0 for none).")
    private String serviceLatencyMs;

    @Option(names = "--connection-setup-ms", paramLabel = "MS", description = "Local target only: added to an"
            + " environment's first request on a connection, for DNS, TCP and TLS (default 10, an assumption).")
    private String connectionSetupMs;

    @Option(names = "--runtime", paramLabel = "java21|java25", description = "Lambda Java runtime.")
    private String runtime;

    @Option(names = "--node-runtime", paramLabel = "nodejs22.x|nodejs24.x",
            description = "Lambda Node.js runtime of esm and cjs (default nodejs22.x).")
    private String nodeRuntime;

    @Option(names = "--arrival-rate", paramLabel = "PER_SECOND", description = "Arrivals/s of the steady phase.")
    private String arrivalRate;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Duration of the steady phase.")
    private String duration;

    @Option(names = "--burst-arrival-rate", paramLabel = "PER_SECOND", description = "Arrivals/s of the scale-out burst.")
    private String burstArrivalRate;

    @Option(names = "--burst-extra-arrivals", paramLabel = "N", description = "Arrivals of the scale-out burst"
            + " beyond provisioned concurrency (default max(2, 25 %% of it)); the burst has provisioned concurrency + N.")
    private String burstExtraArrivals;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "Per-request timeout.")
    private String requestTimeout;

    @Option(names = "--max-in-flight", paramLabel = "N", description = "Bound on open requests per endpoint.")
    private String maxInFlight;

    @Option(names = "--eager-p99-budget", paramLabel = "MS", description = "Fail when eager-init's steady p99 exceeds this.")
    private String eagerP99Budget;

    @Option(names = "--lazy-p99-budget", paramLabel = "MS", description = "Fail when lazy-init's steady p99 exceeds this.")
    private String lazyP99Budget;

    @Option(names = "--max-errors", paramLabel = "N", description = "Non-2xx requests allowed per endpoint (default 0).")
    private String maxErrors;

    @Option(names = "--max-cpu-wait-share", paramLabel = "SHARE", description = "Local target: a run whose compared"
            + " requests spent more than this share (0..1) of their summed latency waiting for a CPU of this host is"
            + " invalid, host saturated (exit 5; default 0.25).")
    private String maxCpuWaitShare;

    @Option(names = "--capacity-cpu-share", paramLabel = "SHARE", description = "Local target: the share (0..1] of"
            + " this host's cores the capacity estimate lets the load's first seconds fill before it refuses the"
            + " scenario (default 0.7).")
    private String capacityCpuShare;

    @Option(names = "--allow-saturation", description = "Local target: run even when the capacity estimate says the"
            + " scenario would saturate this host's cores (default: refuse it before the first request, exit 6).")
    private boolean allowSaturation;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "target/initbench",
            description = "Folder the run's report folder is written under (default: ${DEFAULT-VALUE}).")
    private Path reportDirectory;

    @Override
    public Integer call() throws InterruptedException {
        ScenarioSettings settings;
        try {
            settings = ScenarioSettingsLoader.load(overrides());
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant start = Instant.now();
        java.util.function.Consumer<String> progress = message -> {
            err.printf("[%5.1fs] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, message);
            err.flush();
        };
        if (preflightOnly) {
            try {
                PreflightReport report = BenchmarkSession.preflight(settings, progress);
                out.println(report.describe());
                out.flush();
                return report.passed() ? 0 : 4;
            } catch (IllegalArgumentException e) {
                err.println("preflight failed: " + e.getMessage());
                return 2;
            }
        }
        try (BenchmarkSession session = BenchmarkSession.open(settings, reportDirectory, progress)) {
            BenchmarkResult result = session.run();
            out.print(ReportText.console(result.report(), ConsoleWidth.of(System.getenv())));
            out.println("report: " + result.files().html().toAbsolutePath());
            out.flush();
            return exitStatus(result.report());
        } catch (CapacityRefusedException e) {
            err.println("run " + e.getMessage());
            return EXIT_CAPACITY_REFUSED;
        } catch (PreflightException e) {
            err.println("run refused by its preflight, nothing was created: " + e.report().failures().stream()
                    .map(f -> f.name() + ": " + f.fix().orElse("")).toList());
            return 4;
        } catch (DeploymentException e) {
            err.println("run failed: " + e.getMessage());
            return 3;
        } catch (IllegalArgumentException e) {
            // No region on AWS: a setting is missing, nothing was created.
            err.println("run failed: " + e.getMessage());
            return 2;
        }
    }

    /** A finished run's exit status: invalid (for its reason) before a budget's verdict. */
    static int exitStatus(RunReport report) {
        if (report.valid()) {
            return report.passed() ? 0 : 1;
        }
        return report.validity().status() == Validity.Status.INVALID_HOST_MEMORY ? EXIT_INVALID_HOST_MEMORY
                : EXIT_INVALID_HOST_SATURATED;
    }

    private Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        put(overrides, "target", target);
        put(overrides, "config", config == null ? null : config.toString());
        put(overrides, "region", region);
        put(overrides, "bucket", bucket);
        put(overrides, "provisionedConcurrency", provisionedConcurrency);
        put(overrides, "memorySize", memorySize);
        put(overrides, "strategies", strategies);
        put(overrides, "runtime", runtime);
        put(overrides, "nodeRuntime", nodeRuntime);
        put(overrides, "freeze", noFreeze ? "false" : null);
        put(overrides, "serviceLatencyMs", serviceLatencyMs);
        put(overrides, "connectionSetupMs", connectionSetupMs);
        put(overrides, "arrivalRate", arrivalRate);
        put(overrides, "durationSeconds", duration);
        put(overrides, "burstArrivalRate", burstArrivalRate);
        put(overrides, "burstExtraArrivals", burstExtraArrivals);
        put(overrides, "requestTimeoutSeconds", requestTimeout);
        put(overrides, "maxInFlight", maxInFlight);
        put(overrides, "budget.eagerP99Ms", eagerP99Budget);
        put(overrides, "budget.lazyP99Ms", lazyP99Budget);
        put(overrides, "budget.maxErrors", maxErrors);
        put(overrides, "validity.maxCpuWaitShare", maxCpuWaitShare);
        put(overrides, "validity.capacityCpuShare", capacityCpuShare);
        put(overrides, "allowSaturation", allowSaturation ? "true" : null);
        return overrides;
    }

    private static void put(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }
}
