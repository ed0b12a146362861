package dev.initbench.bench.run;

import dev.initbench.bench.config.LoadPhase;
import dev.initbench.bench.config.ScenarioChecks;
import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.config.TargetKind;
import dev.initbench.bench.deploy.BuildOutputs;
import dev.initbench.bench.deploy.CostEstimate;
import dev.initbench.bench.deploy.Deployment;
import dev.initbench.bench.deploy.ProvisionedTime;
import dev.initbench.bench.deploy.ProjectTags;
import dev.initbench.bench.deploy.ReportLogReader;
import dev.initbench.bench.deploy.RunId;
import dev.initbench.bench.load.LoadGenerator;
import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.preflight.Preflight;
import dev.initbench.bench.preflight.PreflightException;
import dev.initbench.bench.preflight.PreflightReport;
import dev.initbench.bench.report.BudgetVerdict;
import dev.initbench.bench.report.CapacityCheck;
import dev.initbench.bench.report.ReportWriter;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.RunSettings;
import dev.initbench.bench.report.Validity;
import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.stats.HostCpuLine;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.HostLoadSampler;
import dev.initbench.bench.stats.HostMemoryRefusal;
import dev.initbench.bench.stats.ResponseFacts;
import dev.initbench.bench.stats.RunStats;
import dev.initbench.bench.target.AwsTarget;
import dev.initbench.bench.target.LocalTarget;
import dev.initbench.bench.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * One benchmark from start to teardown, the same for the CLI and the JUnit suite: {@link #open} starts the target
 * and deploys, {@link #run()} drives the load (no request reaches the functions before it) and writes the
 * reports, {@link #close()} tears everything down. Owners call {@link #close()} in a finally block; a JVM
 * shutdown hook covers SIGTERM and Ctrl-C.
 */
public final class BenchmarkSession implements AutoCloseable {

    /** Endpoint (and route) names of the default pair. */
    public static final String EAGER = Strategy.EAGER.id();
    public static final String LAZY = Strategy.LAZY.id();

    private final ScenarioSettings settings;
    private final Target target;
    private final Deployment deployment;
    private final Path reportRoot;
    private final Consumer<String> progress;
    private Duration loadTime = Duration.ZERO;
    private Duration logWaitTime = Duration.ZERO;
    private CapacityEstimate capacityEstimate;

    private BenchmarkSession(ScenarioSettings settings, Target target, Deployment deployment, Path reportRoot,
                             Consumer<String> progress) {
        this.settings = settings;
        this.target = target;
        this.deployment = deployment;
        this.reportRoot = reportRoot;
        this.progress = progress;
    }

    /**
     * Starts the target (the local cloud, or AWS clients after printing what will be created and its cost) and
     * deploys the stack.
     *
     * @throws dev.initbench.bench.deploy.DeploymentException after cleaning up, when deploying fails
     */
    public static BenchmarkSession open(ScenarioSettings settings, Path reportRoot, Consumer<String> progress) {
        return open(settings, startTarget(settings), reportRoot, progress);
    }

    /**
     * {@link #open(ScenarioSettings, Path, Consumer)} on a target the caller started (e.g. a local cloud it inspects
     * afterwards); the session closes it when it ends or fails to open.
     */
    public static BenchmarkSession open(ScenarioSettings settings, Target target, Path reportRoot,
                                        Consumer<String> progress) {
        RunId runId = RunId.next();
        try {
            progress.accept("run " + runId + " on " + target.description());
            if (settings.target() == TargetKind.AWS) {
                progress.accept(plan(settings, runId));
            }
            PreflightReport preflight = Preflight.run(target, settings, runId, BuildOutputs.templateBody());
            progress.accept(preflight.describe());
            if (!preflight.passed()) {
                throw new PreflightException(preflight);
            }
            Deployment deployment;
            Instant deployStart = Instant.now();
            try (CloudFormationClient cloudFormation = target.cloudFormation();
                 Heartbeat deploying = Heartbeat.every(heartbeatInterval(settings), () -> StackProgress.creation(
                         cloudFormation, ProjectTags.stackName(runId), deployStart), progress)) {
                Deployment.Artifacts artifacts = new Deployment.Artifacts(BuildOutputs.functionsArtifact(),
                        BuildOutputs.nodeFunctionsArtifact());
                deployment = Deployment.deploy(target, settings, runId, artifacts, BuildOutputs.templateBody(),
                        progress);
            }
            BenchmarkSession session = new BenchmarkSession(settings, target, deployment, reportRoot, progress);
            if (settings.target() == TargetKind.LOCAL) {
                session.checkCapacity();
            }
            return session;
        } catch (CapacityRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /**
     * Estimates, from the provisioned environments' HOSTCPU Init lines (reading logs sends no request to the
     * functions), whether the load's first seconds fit this host's cores; refuses the scenario, tearing everything
     * down, when they do not and saturation was not allowed. Every deployed strategy's first invocation is priced
     * by {@link FirstInvocationCost}.
     *
     * @throws CapacityRefusedException after teardown
     */
    private void checkCapacity() {
        List<Strategy> deployed = deployment.stack().strategies();
        Map<Strategy, Double> meanInitCpuMs = new LinkedHashMap<>();
        try (CloudWatchLogsClient logs = target.logs()) {
            ReportLogReader reader = new ReportLogReader(logs, Duration.ZERO, settings.stackPollDelay(), progress);
            for (Strategy strategy : deployed) {
                meanProvisionedInitCpuMs(reader, deployment.stack().function(strategy).functionName())
                        .ifPresent(cpuMs -> meanInitCpuMs.put(strategy, cpuMs));
            }
        }
        List<FirstInvocationCost> firstInvocations = new ArrayList<>();
        for (Strategy strategy : deployed) {
            Optional<FirstInvocationCost> cost = FirstInvocationCost.of(strategy, meanInitCpuMs);
            if (cost.isEmpty()) {
                progress.accept("capacity not estimated: the local cloud wrote no HOSTCPU Init lines for "
                        + strategy.id() + "'s provisioned environments");
                return;
            }
            firstInvocations.add(cost.get());
        }
        LoadPhase steady = settings.phases().get(0);
        double rate = steady.arrivalRatePerSecond();
        // What would fit is offered only where the steady phase admits it, so a suggestion is a valid scenario.
        CapacityEstimate estimate = new CapacityEstimate(settings.provisionedConcurrency(),
                ScenarioChecks.minimumProvisionedConcurrency(rate, settings.steadyLatencyBound()), rate,
                firstInvocations, Runtime.getRuntime().availableProcessors(),
                Math.min(CapacityEstimate.DEFAULT_WINDOW_SECONDS, steady.duration().toMillis() / 1000.0),
                settings.saturation().capacityCpuShare());
        capacityEstimate = estimate;
        progress.accept(estimate.describe());
        if (!estimate.fits()) {
            if (settings.saturation().allowSaturation()) {
                progress.accept("running anyway: saturation allowed (--allow-saturation)");
                return;
            }
            Map<String, Integer> invocations;
            try {
                invocations = invocationsSoFar();
            } finally {
                close();
            }
            throw new CapacityRefusedException(estimate, invocations);
        }
    }

    /** Per function, the invocations its log group shows (START lines since the run began), read before teardown. */
    private Map<String, Integer> invocationsSoFar() {
        Map<String, Integer> invocations = new LinkedHashMap<>();
        try (CloudWatchLogsClient logs = target.logs()) {
            ReportLogReader reader = new ReportLogReader(logs, Duration.ZERO, settings.stackPollDelay(), progress);
            for (Strategy strategy : deployment.stack().strategies()) {
                String function = deployment.stack().function(strategy).functionName();
                invocations.put(function, reader.readStarts(function, deployment.runId().startedAt()).size());
            }
        }
        return invocations;
    }

    /**
     * The capacity estimate this session made before its load (local target), empty when none was made (AWS, or
     * no HOSTCPU Init lines).
     */
    public Optional<CapacityEstimate> capacityEstimate() {
        return Optional.ofNullable(capacityEstimate);
    }

    private OptionalDouble meanProvisionedInitCpuMs(ReportLogReader reader, String function) {
        return reader.readHostCpu(function, deployment.runId().startedAt()).stream()
                .map(line -> HostCpuLine.parse(line.message()).orElse(null))
                .filter(line -> line instanceof HostCpuLine.Init init
                        && ResponseFacts.PROVISIONED_CONCURRENCY.equals(init.initializationType()))
                .mapToDouble(HostCpuLine::cpuMs).average();
    }

    /** How often a long wait says how it is going: every 5 s, or every stack poll when polls are slower (AWS). */
    private static Duration heartbeatInterval(ScenarioSettings settings) {
        Duration poll = settings.stackPollDelay();
        return poll.compareTo(Duration.ofSeconds(5)) > 0 ? poll : Duration.ofSeconds(5);
    }

    /**
     * The preflight alone ({@code run --preflight}): starts the target, checks, stops it; creates nothing.
     */
    public static PreflightReport preflight(ScenarioSettings settings, Consumer<String> progress) {
        RunId runId = RunId.next();
        try (Target target = startTarget(settings)) {
            progress.accept("preflight of run " + runId + " on " + target.description());
            if (settings.target() == TargetKind.AWS) {
                progress.accept(plan(settings, runId));
            }
            return Preflight.run(target, settings, runId, BuildOutputs.templateBody());
        }
    }

    /** The report's other settings; on the local target also how it stands in for Lambda (freeze, latency). */
    private static Map<String, String> otherSettings(ScenarioSettings settings, String region) {
        Map<String, String> other = new LinkedHashMap<>(Map.of(
                "memorySize", String.valueOf(settings.memorySize()),
                "runtime", settings.runtime(),
                "nodeRuntime", settings.nodeRuntime(),
                "strategies", Strategy.ids(settings.strategies()),
                "region", region));
        if (settings.target() == TargetKind.LOCAL) {
            other.put("freeze", String.valueOf(settings.freeze()));
            other.put("serviceLatencyMs", String.valueOf(settings.serviceLatency().toMillis()));
            other.put("connectionSetupMs", String.valueOf(settings.connectionSetup().toMillis()));
        }
        return other;
    }

    private static Target startTarget(ScenarioSettings settings) {
        return settings.target() == TargetKind.LOCAL
                // Every selected function takes the whole burst at once.
                ? LocalTarget.start(settings.region().orElseThrow(),
                        (int) (settings.strategies().size() * settings.burst().arrivals()), settings.freeze(),
                        settings.serviceLatency(), settings.connectionSetup())
                : AwsTarget.of(settings.region());
    }

    private static String plan(ScenarioSettings settings, RunId runId) {
        int functions = settings.strategies().size();
        List<String> runtimes = new java.util.ArrayList<>();
        if (settings.deploys(Strategy.Family.JAVA)) {
            runtimes.add(settings.runtime());
        }
        if (settings.deploys(Strategy.Family.NODE)) {
            runtimes.add(settings.nodeRuntime());
        }
        return "this run creates, and deletes when it ends: "
                + settings.bucket().map(b -> "objects in bucket " + b).orElse("bucket " + ProjectTags.bucketName(runId))
                + "; stack " + ProjectTags.stackName(runId) + " with an SSM parameter, an IAM role, " + functions
                + " Lambda functions (" + Strategy.ids(settings.strategies()) + "; " + settings.memorySize() + " MB, "
                + String.join(", ", runtimes) + ") each with a version and a 'live' alias under provisioned concurrency "
                + settings.provisionedConcurrency() + ", " + functions + " log groups and an HTTP API; load "
                + settings.loadDuration().toSeconds() + " s";
    }

    /**
     * Drives the scenario's load at every selected endpoint (the same schedule for each), reads the REPORT lines
     * back, decides budgets, writes reports.
     */
    public BenchmarkResult run() throws InterruptedException {
        LoadPlan.Builder plan = LoadPlan.builder();
        for (Strategy strategy : settings.strategies()) {
            plan.endpoint(strategy.id(), deployment.stack().route("/" + strategy.id()));
        }
        plan.requestTimeout(settings.requestTimeout())
                .maxInFlightPerEndpoint(settings.maxInFlight())
                .progressInterval(Duration.ofSeconds(5));
        for (LoadPhase phase : settings.allPhases()) {
            plan.phase(phase.name(), phase.arrivalRatePerSecond(), phase.duration(), phase.query());
        }
        LoadPlan loadPlan = plan.build();
        progress.accept("load: " + loadPlan.scheduledRequests() + " requests over "
                + loadPlan.scheduleDuration().toMillis() / 1000.0 + " s, no warm-up request before it");
        LoadGenerator.warmUpClient();
        LoadResult unsplit;
        HostLoad hostLoad;
        // Sampled from just before the first request to the end of the load; the sampler sends nothing.
        try (HostLoadSampler sampler = HostLoadSampler.start(settings.target() == TargetKind.LOCAL
                ? HostLoad.Role.BENCHMARK_HOST : HostLoad.Role.CLIENT_HOST)) {
            unsplit = LoadGenerator.run(loadPlan, p -> progress.accept("load: " + p));
            hostLoad = sampler.stop(unsplit.startedAt(), phaseStarts(loadPlan));
        }
        LoadResult load = RunScopes.split(unsplit, settings.burst().name());
        RunStats stats = RunStats.of(load);
        loadTime = Duration.between(load.startedAt(), load.finishedAt());

        RunReport.Builder report = RunReport.builder()
                .runId(deployment.runId().value())
                .target(settings.target().id())
                .settings(RunSettings.of(loadPlan, settings.provisionedConcurrency(), otherSettings(settings,
                        target.region().id())))
                .load(load, stats)
                .hostLoad(hostLoad);
        java.time.Instant logsStarted = java.time.Instant.now();
        Map<String, List<String>> hostCpuLines = new LinkedHashMap<>();
        Validity validity = reconcileWithLogs(report, load, stats, hostCpuLines);
        capacityEstimate().ifPresent(estimate -> report.capacityCheck(capacityCheck(estimate, stats, hostLoad,
                hostCpuLines)));
        logWaitTime = Duration.between(logsStarted, java.time.Instant.now());
        report.validity(validity);
        if (!validity.valid()) {
            progress.accept(validity.summary());
        }
        report.budgets(verdicts(load, stats));
        RunReport built = report.build();
        ReportWriter.ReportFiles files = ReportWriter.write(reportRoot.resolve(deployment.runId().value()), built, stats);
        return new BenchmarkResult(deployment.runId(), settings, deployment.stack(), load, stats, built, files);
    }

    /**
     * Reads each function's REPORT and HOSTCPU lines, reconciles them with the responses, measures each scope's CPU
     * contention and judges the run's validity over the steady (compared) scopes; locally also its HOSTMEMORY lines,
     * the starts the local cloud refused for the host's memory, which make the run invalid.
     */
    private Validity reconcileWithLogs(RunReport.Builder report, LoadResult load, RunStats stats,
                                       Map<String, List<String>> hostCpuLines) {
        String burst = settings.burst().name();
        Map<String, CpuContention> compared = new LinkedHashMap<>();
        List<Validity.HostMemoryRefusals> hostMemory = new ArrayList<>();
        progress.accept("reading the functions' REPORT lines back from CloudWatch Logs (waiting up to "
                + settings.logWait().toSeconds() + " s for late lines)");
        Instant start = Instant.now();
        try (CloudWatchLogsClient logs = target.logs();
             Heartbeat reading = Heartbeat.every(heartbeatInterval(settings), () -> "log read-back "
                     + Duration.between(start, Instant.now()).toSeconds() + " s: waiting for REPORT lines", progress)) {
            ReportLogReader reader = new ReportLogReader(logs, settings.logWait(), settings.stackPollDelay(), progress);
            for (Strategy strategy : settings.strategies()) {
                String endpoint = strategy.id();
                String function = deployment.stack().function(strategy).functionName();
                List<String> scopes = List.of(endpoint, RunScopes.burstEndpoint(endpoint, burst));
                // Every attributable response is one invocation, so one REPORT line to wait for.
                long invocations = scopes.stream().flatMap(scope -> stats.endpoint(scope).summary().attribution()
                        .requestsByInitType().values().stream()).mapToLong(Long::longValue).sum();
                List<String> lines = reader.read(function, deployment.runId().startedAt(), invocations).stream()
                        .map(ReportLogReader.ReportLine::message).toList();
                progress.accept("REPORT lines of " + function + ": " + lines.size() + " read, " + invocations
                        + " expected (" + Duration.between(start, Instant.now()).toMillis() / 1000.0 + " s)");
                List<String> hostCpu = settings.target() == TargetKind.LOCAL
                        ? reader.readHostCpu(function, deployment.runId().startedAt()).stream()
                        .map(ReportLogReader.ReportLine::message).toList() : List.of();
                hostCpuLines.put(endpoint, hostCpu);
                if (settings.target() == TargetKind.LOCAL) {
                    hostMemoryRefusals(reader, function, endpoint, scopes, load).ifPresent(refused -> {
                        hostMemory.add(refused);
                        progress.accept(function + ": the local cloud refused " + refused.throttledInvocations()
                                + " on-demand and " + refused.refusedProvisioned() + " provisioned environment"
                                + " start(s) because this host's memory could not hold them (HOSTMEMORY lines); "
                                + refused.tooManyRequests() + " of " + endpoint + "'s requests were answered 429");
                    });
                }
                for (String scope : scopes) {
                    report.reconciliation(scope, stats.endpoint(scope).reconcile(lines));
                    CpuContention contention = settings.target() == TargetKind.LOCAL
                            ? stats.endpoint(scope).contention(hostCpu) : CpuContention.notMeasuredOnAws();
                    report.contention(scope, contention);
                    if (scope.equals(endpoint)) {
                        compared.put(endpoint, contention);
                    }
                }
            }
        }
        return settings.target() == TargetKind.LOCAL
                ? Validity.judge(compared, settings.saturation().maxCpuWaitShare(), hostMemory)
                : Validity.notApplicable(settings.saturation().maxCpuWaitShare());
    }

    /**
     * The environment starts of {@code function} the local cloud refused since the run started (its HOSTMEMORY
     * lines), beside the 429 answers its endpoint's requests got in all its scopes; empty when none was refused.
     */
    private Optional<Validity.HostMemoryRefusals> hostMemoryRefusals(ReportLogReader reader, String function,
                                                                     String endpoint, List<String> scopes,
                                                                     LoadResult load) {
        List<HostMemoryRefusal> refusals = reader.readHostMemory(function, deployment.runId().startedAt()).stream()
                .map(line -> HostMemoryRefusal.parse(line.message())).flatMap(Optional::stream).toList();
        if (refusals.isEmpty()) {
            return Optional.empty();
        }
        long throttled = refusals.stream().filter(HostMemoryRefusal::throttledInvocation).count();
        long tooManyRequests = scopes.stream().flatMap(scope -> load.records(scope).stream())
                .filter(request -> request.statusCode() == 429).count();
        HostMemoryRefusal last = refusals.get(refusals.size() - 1);
        return Optional.of(new Validity.HostMemoryRefusals(endpoint, throttled, refusals.size() - throttled,
                tooManyRequests, last.availableMb(), last.neededMb(), last.floorMb()));
    }

    /** Each phase of the plan with its scheduled start, from the load's time origin. */
    private static List<HostLoad.PhaseStart> phaseStarts(LoadPlan plan) {
        List<HostLoad.PhaseStart> starts = new ArrayList<>();
        double start = 0;
        for (LoadPlan.Phase phase : plan.phases()) {
            starts.add(new HostLoad.PhaseStart(phase.name(), start));
            start += phase.duration().toNanos() / 1e9;
        }
        return starts;
    }

    /**
     * The estimate beside what the same first seconds of the load used: the whole host's busy CPU, and the CPU of the
     * invocations the steady endpoints sent in the window (their HOSTCPU lines, joined by request id).
     */
    private static CapacityCheck capacityCheck(CapacityEstimate estimate, RunStats stats, HostLoad hostLoad,
                                               Map<String, List<String>> hostCpuLines) {
        double window = estimate.windowSeconds();
        CpuContention.Share invocations = CpuContention.Share.NONE;
        for (Map.Entry<String, List<String>> endpoint : hostCpuLines.entrySet()) {
            invocations = invocations.plus(stats.endpoint(endpoint.getKey())
                    .contentionOfTheFirst(window, endpoint.getValue()).all());
        }
        return new CapacityCheck(window, estimate.cores(), estimate.demandCpuMs() / 1000,
                estimate.capacityCpuMs() / 1000, hostLoad.measured() ? hostLoad.busyCoreSeconds(0, window) : null,
                invocations.requests() > 0 ? invocations.cpuSumMs() / 1000 : null);
    }

    private List<BudgetVerdict> verdicts(LoadResult load, RunStats stats) {
        String burst = settings.burst().name();
        Map<Strategy, BudgetEvaluator.StrategyFigures> figures = new LinkedHashMap<>();
        for (Strategy strategy : settings.strategies()) {
            String steadyScope = strategy.id();
            String burstScope = RunScopes.burstEndpoint(steadyScope, burst);
            figures.put(strategy, new BudgetEvaluator.StrategyFigures(stats.endpoint(steadyScope).summary(),
                    stats.endpoint(burstScope).summary(), RunScopes.peakConcurrency(load.records(steadyScope)),
                    RunScopes.peakConcurrency(load.records(burstScope))));
        }
        return BudgetEvaluator.evaluate(settings, figures);
    }

    /** Tears down the stack, the artifact and bucket, then the target; idempotent. */
    @Override
    public void close() {
        Instant teardown = Instant.now();
        try (CloudFormationClient cloudFormation = target.cloudFormation();
             Heartbeat tearingDown = Heartbeat.every(heartbeatInterval(settings), () -> StackProgress.deletion(
                     cloudFormation, deployment.stack().stackId(), teardown), progress)) {
            deployment.close();
            // What provisioned concurrency was held for, measured phase by phase: what AWS bills.
            ProvisionedTime held = new ProvisionedTime(deployment.allocation(), loadTime, logWaitTime,
                    Duration.between(teardown, Instant.now()));
            progress.accept("provisioned concurrency held " + held.describe()
                    + (settings.target() == TargetKind.AWS ? String.format(java.util.Locale.ROOT, "; measured cost"
                    + " about $%.2f", CostEstimate.of(settings, held).totalUsd()) : ""));
        } finally {
            target.close();
        }
    }
}
