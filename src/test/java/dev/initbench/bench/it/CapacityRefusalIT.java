package dev.initbench.bench.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.config.TargetKind;
import dev.initbench.bench.run.BenchmarkSession;
import dev.initbench.bench.run.CapacityEstimate;
import dev.initbench.bench.run.CapacityRefusedException;
import dev.initbench.bench.target.LocalTarget;
import dev.initbench.bench.target.Target;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A local scenario the capacity estimate refuses: deployed, allocated, estimated from the provisioned environments'
 * init CPU, then torn down before any request. The refusal is forced cheaply and honestly with the documented
 * {@code validity.capacityCpuShare} setting (the share of the cores the load's first seconds may fill): at 0.1 %
 * the warm requests alone exceed it on any host, so the test does not depend on this host's speed or load.
 */
class CapacityRefusalIT {

    /** The smallest scenario the checks admit: 2 functions × PC 3, 2/s for 30 s; burst 5 arrivals. */
    private static final Map<String, String> TOO_BIG_FOR_A_SLIVER_OF_THE_CORES = Map.of(
            "provisionedConcurrency", "3", "durationSeconds", "30", "validity.capacityCpuShare", "0.001");

    @Test
    void aScenarioThatDoesNotFitIsRefusedBeforeItsFirstRequestAndLeavesNothingBehind(@TempDir Path reports) {
        assumeThat(System.getProperty("bench.target", "local")).as("the capacity estimate is local").isEqualTo("local");
        ScenarioSettings settings = ScenarioSettingsLoader.load(TOO_BIG_FOR_A_SLIVER_OF_THE_CORES);
        assertThat(settings.target()).isEqualTo(TargetKind.LOCAL);
        Instant started = Instant.now();
        List<String> progress = new CopyOnWriteArrayList<>();
        LocalTarget cloud = LocalTarget.start(settings.region().orElseThrow(),
                (int) (settings.strategies().size() * settings.burst().arrivals()), settings.freeze());
        try {
            assertThatThrownBy(() -> BenchmarkSession.open(settings, new KeptOpen(cloud), reports, progress::add))
                    .isInstanceOfSatisfying(CapacityRefusedException.class, refused -> {
                        int cores = Runtime.getRuntime().availableProcessors();
                        assertThat(refused.getMessage())
                                .contains("refused before the first request, no request was sent")
                                .contains("capacity estimate: the first " + (long) CapacityEstimate.DEFAULT_WINDOW_SECONDS + " s need")
                                .contains("first invocations: eager 10 ms (a warm request), lazy ")
                                .contains("eager's init CPU beyond lazy's")
                                .contains(cores + " cores at 0.1 %")
                                .contains("would saturate the host; largest that fit: no provisioned concurrency"
                                        + " at 2/s")
                                .contains("no arrival rate from 0.1/s at provisioned concurrency 3");
                        assertThat(refused.estimate().cores()).isEqualTo(cores);
                        assertThat(refused.estimate().fits()).isFalse();
                        assertThat(refused.estimate().demandCpuMs()).isGreaterThan(refused.estimate().capacityCpuMs());
                        // Read through the Logs API before teardown: both functions, no invocation.
                        assertThat(refused.invocationsBeforeRefusal()).hasSize(2)
                                .allSatisfy((function, invocations) -> assertThat(invocations).as(function).isZero());
                    });

            // The load generator never started, and the stack is gone with its functions, log groups and
            // environments.
            assertThat(progress).noneMatch(line -> line.startsWith("load:"))
                    .anyMatch(line -> line.equals("teardown complete"));
            try (CloudFormationClient cloudFormation = cloud.cloudFormation();
                 LambdaClient lambda = cloud.lambda();
                 CloudWatchLogsClient logs = cloud.logs()) {
                List<StackSummary> stacks = cloudFormation.listStacksPaginator(b -> { }).stackSummaries().stream()
                        .toList();
                assertThat(stacks).isNotEmpty()
                        .allSatisfy(stack -> assertThat(stack.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
                assertThat(lambda.listFunctions().functions()).isEmpty();
                assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/aws/lambda/")).logGroups()).isEmpty();
            }
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(started::isBefore).orElse(true)).toList())
                    .as("environment processes left").isEmpty();
        } finally {
            cloud.close();
        }
    }

    /** The local cloud, left running when the session closes its target, so the test can look at what is left. */
    private record KeptOpen(LocalTarget cloud) implements Target {
        @Override
        public TargetKind kind() {
            return cloud.kind();
        }

        @Override
        public Region region() {
            return cloud.region();
        }

        @Override
        public AwsCredentialsProvider credentials() {
            return cloud.credentials();
        }

        @Override
        public Optional<URI> endpointOverride() {
            return cloud.endpointOverride();
        }

        @Override
        public String description() {
            return cloud.description();
        }

        @Override
        public boolean ephemeral() {
            return cloud.ephemeral();
        }

        @Override
        public int minimumUnreservedConcurrency() {
            return cloud.minimumUnreservedConcurrency();
        }

        @Override
        public void close() {
            // The test closes the cloud itself, after its checks.
        }
    }
}
