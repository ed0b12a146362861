package dev.initbench.bench.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.target.LocalTarget;
import dev.initbench.localcloud.lambda.LambdaTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/** Deployment failures and orphan cleanup against the local cloud (no execution environment is started). */
class DeploymentTest {

    private static final String ONE_PARAMETER = "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n"
            + "    Properties:\n      Type: String\n      Value: x\n";

    private final List<String> progress = new ArrayList<>();
    private LocalTarget target;
    private CloudFormationClient cloudFormation;
    private S3Client s3;

    @BeforeEach
    void start() {
        target = LocalTarget.start("us-east-1");
        cloudFormation = target.cloudFormation();
        s3 = target.s3();
    }

    @AfterEach
    void stop() {
        cloudFormation.close();
        s3.close();
        target.close();
    }

    @Test
    void aFailedStackReportsTheFirstFailedResourceAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path notAZip = Files.writeString(dir.resolve("initbench-functions.zip"), "not a zip archive");

        assertThatThrownBy(() -> Deployment.deploy(target, settings(), RunId.next(),
                new Deployment.Artifacts(notAZip, Optional.empty()),
                BuildOutputs.templateBody(), progress::add))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("was not created")
                .hasMessageMatching("(?s).*(EagerFunction|LazyFunction) \\(AWS::Lambda::Function\\).*");

        assertThat(cloudFormation.describeStacks().stacks())
                .allSatisfy(stack -> assertThat(stack.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
        assertThat(s3.listBuckets().buckets()).as("the run-scoped bucket is removed").isEmpty();
        assertThat(progress).contains("teardown complete");
    }

    /** A function whose init fails on purpose: its provisioned environment fails, so does the alias. */
    private static final String FAILING_INIT = """
            Parameters:
              ArtifactBucket: {Type: String}
              ArtifactKey: {Type: String}
              ProvisionedConcurrency: {Type: Number}
              MemorySize: {Type: Number}
              ParameterValue: {Type: String}
              Runtime: {Type: String}
              NodeRuntime: {Type: String}
              DeployEager: {Type: String}
              DeployLazy: {Type: String}
              DeployAsyncInit: {Type: String}
              DeployEsm: {Type: String}
              DeployCjs: {Type: String}
            Resources:
              Function:
                Type: AWS::Lambda::Function
                Properties:
                  Handler: %s
                  Runtime: !Ref Runtime
                  Environment: {Variables: {MODE: fail-init}}
                  MemorySize: 256
                  Timeout: 15
                  Role: arn:aws:iam::000000000000:role/initbench-test
                  Code: {S3Bucket: !Ref ArtifactBucket, S3Key: !Ref ArtifactKey}
              FunctionLogGroup:
                Type: AWS::Logs::LogGroup
                Properties:
                  LogGroupName: !Sub "/aws/lambda/${Function}"
              Version:
                Type: AWS::Lambda::Version
                DependsOn: FunctionLogGroup
                Properties: {FunctionName: !Ref Function}
              Alias:
                Type: AWS::Lambda::Alias
                Properties:
                  Name: live
                  FunctionName: !Ref Function
                  FunctionVersion: !GetAtt Version.Version
                  ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 1}
            """.formatted(LambdaTestSupport.MISBEHAVING_HANDLER);

    @Test
    void aFailedCreateKeepsTheEvidenceReadsTheFunctionsLogThenDeletesEverything(@TempDir Path dir) throws Exception {
        RunId runId = RunId.next();
        ScenarioSettings settings = ScenarioSettingsLoader.load(
                Map.of("provisionedConcurrency", "1", "arrivalRate", "0.5"));
        Path artifact = Files.write(dir.resolve("misbehaving.zip"), LambdaTestSupport.misbehavingZip());

        assertThatThrownBy(() -> Deployment.deploy(target, settings, runId,
                new Deployment.Artifacts(artifact, Optional.empty()), FAILING_INIT, progress::add))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("Alias (AWS::Lambda::Alias) CREATE_FAILED")
                .hasMessageContaining("Function log /aws/lambda/" + ProjectTags.stackName(runId) + "-Function-")
                .hasMessageContaining("init failed on purpose");

        assertThat(progress).anySatisfy(line -> assertThat(line)
                .startsWith("stack creation failed; kept (rollback disabled)"));
        assertThat(cloudFormation.describeStacks().stacks())
                .allSatisfy(stack -> assertThat(stack.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
        try (var logs = target.logs()) {
            assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/aws/lambda/" + ProjectTags.stackName(runId)))
                    .logGroups()).as("no log group outlives the run").isEmpty();
        }
        assertThat(progress).contains("teardown complete");
    }

    @Test
    void aNamedBucketThatDoesNotExistIsRefusedNamingTheSetting(@TempDir Path dir) throws Exception {
        Path artifact = Files.writeString(dir.resolve("initbench-functions.zip"), "unused");
        ScenarioSettings settings = ScenarioSettingsLoader.load(Map.of("bucket", "no-such-bucket"));

        assertThatThrownBy(() -> Deployment.deploy(target, settings, RunId.next(),
                new Deployment.Artifacts(artifact, Optional.empty()),
                BuildOutputs.templateBody(), progress::add))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("bucket 'no-such-bucket' (bench.bucket) does not exist");
        assertThat(cloudFormation.describeStacks().stacks()).isEmpty();
    }

    @Test
    void nodeStrategiesWithoutTheNodeArtifactAreRefusedNamingTheBuild(@TempDir Path dir) throws Exception {
        Path artifact = Files.writeString(dir.resolve("initbench-functions.zip"), "unused");
        ScenarioSettings settings = ScenarioSettingsLoader.load(Map.of("strategies", "esm,cjs"));

        assertThatThrownBy(() -> Deployment.deploy(target, settings, RunId.next(),
                new Deployment.Artifacts(artifact, Optional.empty()), BuildOutputs.templateBody(), progress::add))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("strategies esm,cjs need the Node.js functions' artifact")
                .hasMessageContaining("./mvnw -B package");
        assertThat(cloudFormation.describeStacks().stacks()).isEmpty();
        assertThat(s3.listBuckets().buckets()).as("the run-scoped bucket is removed").isEmpty();
    }

    @Test
    void orphanedProjectStacksOlderThanTheThresholdAreDeletedAndNamed() {
        createStack("initbench-old", Instant.now().minus(Duration.ofHours(2)), true);
        createStack("initbench-recent", Instant.now(), true);
        createStack("someone-elses", Instant.now().minus(Duration.ofHours(2)), false);

        List<String> swept = new OrphanSweeper(cloudFormation, Duration.ofMinutes(30), Duration.ofMillis(100),
                Duration.ofSeconds(30), progress::add).sweep();

        assertThat(swept).containsExactly("initbench-old");
        assertThat(progress).anyMatch(line -> line.contains("initbench-old") && line.contains("killed run"));
        assertThat(cloudFormation.describeStacks().stacks())
                .filteredOn(stack -> stack.stackStatus() != StackStatus.DELETE_COMPLETE)
                .extracting(stack -> stack.stackName())
                .containsExactlyInAnyOrder("initbench-recent", "someone-elses");
    }

    private void createStack(String name, Instant createdAt, boolean projectTags) {
        List<Tag> tags = projectTags
                ? List.of(Tag.builder().key(ProjectTags.PROJECT_KEY).value(ProjectTags.PROJECT).build(),
                        Tag.builder().key(ProjectTags.RUN_ID_KEY).value(name).build(),
                        Tag.builder().key(ProjectTags.CREATED_AT_KEY).value(createdAt.toString()).build())
                : List.of();
        cloudFormation.createStack(b -> b.stackName(name).templateBody(ONE_PARAMETER).tags(tags)
                .capabilities(Capability.CAPABILITY_IAM));
    }

    private static ScenarioSettings settings() {
        return ScenarioSettingsLoader.load(Map.of("deployTimeoutSeconds", "60", "stackPollSeconds", "0.2"));
    }
}
