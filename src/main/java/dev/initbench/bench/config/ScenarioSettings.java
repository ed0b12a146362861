package dev.initbench.bench.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a benchmark run needs to know, resolved from the defaults, a config file and overrides
 * (see {@link ScenarioSettingsLoader}).
 *
 * @param target                 where the run goes
 * @param region                 the AWS region; empty on AWS when none was configured, so the SDK's region chain
 *                               ({@code AWS_REGION}, the profile's region) decides; always set on the local target
 * @param bucket                 an existing bucket to upload the artifact to; empty: a run-scoped one is made
 * @param provisionedConcurrency provisioned environments per function
 * @param memorySize             MB per environment
 * @param runtime                Lambda Java runtime identifier
 * @param parameterValue         value of the SSM parameter
 * @param phases                 steady phases, run in order; provisioned concurrency is meant to cover them
 * @param burst                  the scale-out phase after them: provisioned concurrency plus
 *                               {@link #burstExtraArrivals()} arrivals, each holding its environment, so some spill
 *                               over to on-demand environments (sized and checked by {@link ScenarioChecks})
 * @param requestTimeout         per request
 * @param maxInFlight            bound on concurrently open requests of the load generator
 * @param deployTimeout          bound on stack creation and deletion
 * @param stackPollDelay         delay between CloudFormation waiter polls
 * @param orphanAge              stacks of this project older than this, left by killed runs, are deleted
 * @param logWait                how long to wait for REPORT log lines to arrive after the load
 * @param budgets                absolute budgets
 * @param steadyLatencyBound     the per-request latency the steady phases are sized for: arrival rate × this ×
 *                               {@link ScenarioChecks#STEADY_HEADROOM} must fit within provisioned concurrency
 * @param saturation             how much of the local host's CPU the run may contend for (validity, capacity)
 * @param strategies             the strategies deployed and loaded, in report order
 * @param nodeRuntime            Lambda Node.js runtime identifier of the Node.js strategies
 * @param freeze                 whether the local cloud freezes idle environments, as Lambda always does (local only)
 * @param serviceLatency         local only (zero on AWS): least time the local cloud takes to answer an execution
 *                               environment's request, standing in for AWS's HTTPS round trip and service time
 * @param connectionSetup        local only (zero on AWS): added to an environment's first request on a connection
 */
public record ScenarioSettings(TargetKind target, Optional<String> region, Optional<String> bucket,
                               int provisionedConcurrency, int memorySize, String runtime, String parameterValue,
                               List<LoadPhase> phases, LoadPhase burst, Duration requestTimeout, int maxInFlight,
                               Duration deployTimeout, Duration stackPollDelay, Duration orphanAge,
                               Duration logWait, Budgets budgets, Duration steadyLatencyBound,
                               SaturationSettings saturation, List<Strategy> strategies, String nodeRuntime,
                               boolean freeze, Duration serviceLatency, Duration connectionSetup) {

    public ScenarioSettings {
        phases = List.copyOf(phases);
        strategies = List.copyOf(strategies);
    }

    /** Whether any selected strategy runs in the given runtime family (so its artifact is needed). */
    public boolean deploys(Strategy.Family family) {
        return strategies.stream().anyMatch(strategy -> strategy.family() == family);
    }

    /** Steady phases followed by the burst. */
    public List<LoadPhase> allPhases() {
        List<LoadPhase> all = new ArrayList<>(phases);
        all.add(burst);
        return all;
    }

    /** How many more arrivals the burst has than there are provisioned environments per function. */
    public long burstExtraArrivals() {
        return burst.arrivals() - provisionedConcurrency;
    }

    /** Wall time of the load, all phases. */
    public Duration loadDuration() {
        return allPhases().stream().map(LoadPhase::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
