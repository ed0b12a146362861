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
 * @param burst                  the scale-out phase after them, meant to exceed provisioned concurrency
 * @param requestTimeout         per request
 * @param maxInFlight            bound on concurrently open requests of the load generator
 * @param deployTimeout          bound on stack creation and deletion
 * @param stackPollDelay         delay between CloudFormation waiter polls
 * @param orphanAge              stacks of this project older than this, left by killed runs, are deleted
 * @param logWait                how long to wait for REPORT log lines to arrive after the load
 * @param budgets                absolute budgets
 */
public record ScenarioSettings(TargetKind target, Optional<String> region, Optional<String> bucket,
                               int provisionedConcurrency, int memorySize, String runtime, String parameterValue,
                               List<LoadPhase> phases, LoadPhase burst, Duration requestTimeout, int maxInFlight,
                               Duration deployTimeout, Duration stackPollDelay, Duration orphanAge,
                               Duration logWait, Budgets budgets) {

    public ScenarioSettings {
        phases = List.copyOf(phases);
    }

    /** Steady phases followed by the burst. */
    public List<LoadPhase> allPhases() {
        List<LoadPhase> all = new ArrayList<>(phases);
        all.add(burst);
        return all;
    }

    /** Wall time of the load, all phases. */
    public Duration loadDuration() {
        return allPhases().stream().map(LoadPhase::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
