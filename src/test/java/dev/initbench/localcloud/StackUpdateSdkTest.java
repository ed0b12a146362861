package dev.initbench.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** UpdateStack and change sets through the CloudFormation SDK, against the real SSM, Logs and IAM providers. */
class StackUpdateSdkTest {

    private static final String TEMPLATE = """
            Parameters:
              Value: {Type: String}
              Retention: {Type: Number}
              ParameterName: {Type: String}
            Resources:
              Parameter:
                Type: AWS::SSM::Parameter
                Properties: {Name: !Ref ParameterName, Type: String, Value: !Ref Value}
              Group:
                Type: AWS::Logs::LogGroup
                Properties: {LogGroupName: /sdk/group, RetentionInDays: !Ref Retention}
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
                  Description: !Sub "reads ${Parameter}"
            Outputs:
              Name: {Value: !Ref Parameter}
            """;
    private static final WaiterOverrideConfiguration FAST = WaiterOverrideConfiguration.builder()
            .backoffStrategy(attempt -> Duration.ofMillis(20)).maxAttempts(1_000).build();

    private LocalCloud cloud;
    private CloudFormationClient cloudFormation;
    private SsmClient ssm;
    private CloudWatchLogsClient logs;

    @BeforeEach
    void start() {
        cloud = LocalCloud.builder().start();
        cloudFormation = TestClients.cloudFormation(cloud);
        ssm = TestClients.ssm(cloud);
        logs = TestClients.logs(cloud);
        cloudFormation.createStack(b -> b.stackName("sdk").templateBody(TEMPLATE)
                .parameters(parameters("one", "1", "/sdk/first")).capabilities(Capability.CAPABILITY_IAM));
        cloudFormation.waiter().waitUntilStackCreateComplete(request(), FAST);
    }

    @AfterEach
    void stop() {
        List.of(cloudFormation, ssm, logs).forEach(software.amazon.awssdk.core.SdkClient::close);
        cloud.close();
    }

    @Test
    void updateStackChangesInPlaceOrReplacesAsTheResourceSchemasSay() {
        cloudFormation.updateStack(b -> b.stackName("sdk").templateBody(TEMPLATE)
                .parameters(parameters("two", "7", "/sdk/first")).capabilities(Capability.CAPABILITY_IAM));
        assertThat(cloudFormation.waiter().waitUntilStackUpdateComplete(request(), FAST).matched().response()
                .orElseThrow().stacks().get(0).stackStatus()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(ssm.getParameter(b -> b.name("/sdk/first")).parameter())
                .satisfies(parameter -> {
                    assertThat(parameter.value()).isEqualTo("two");
                    assertThat(parameter.version()).isEqualTo(2L);
                });
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/sdk/group")).logGroups().get(0)
                .retentionInDays()).isEqualTo(7);
        assertThat(resourceEvents("Parameter")).containsSubsequence(ResourceStatus.UPDATE_IN_PROGRESS,
                ResourceStatus.UPDATE_COMPLETE);

        // Name is create-only: a new parameter, the old one deleted in the cleanup, the role (Sub of its Ref)
        // updated in place.
        cloudFormation.updateStack(b -> b.stackName("sdk").usePreviousTemplate(true)
                .parameters(parameters("two", "7", "/sdk/second")).capabilities(Capability.CAPABILITY_IAM));
        cloudFormation.waiter().waitUntilStackUpdateComplete(request(), FAST);
        assertThat(ssm.getParameter(b -> b.name("/sdk/second")).parameter().value()).isEqualTo("two");
        assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/sdk/first")))
                .isInstanceOf(ParameterNotFoundException.class);
        assertThat(cloudFormation.describeStacks(b -> b.stackName("sdk")).stacks().get(0).outputs().get(0)
                .outputValue()).isEqualTo("/sdk/second");
        assertThat(events()).anySatisfy(event -> {
            assertThat(event.physicalResourceId()).isEqualTo("/sdk/first");
            assertThat(event.resourceStatus()).isEqualTo(ResourceStatus.DELETE_COMPLETE);
        });
        assertThatThrownBy(() -> cloudFormation.updateStack(b -> b.stackName("sdk").usePreviousTemplate(true)
                .parameters(parameters("two", "7", "/sdk/second")).capabilities(Capability.CAPABILITY_IAM)))
                .isInstanceOf(CloudFormationException.class).hasMessageContaining("No updates are to be performed.");
    }

    @Test
    void failingUpdateRollsBackToUpdateRollbackCompleteWithTheOldResourcesIntact() {
        String broken = TEMPLATE.replace("Outputs:", """
                  Broken:
                    Type: AWS::SSM::Parameter
                    DependsOn: Parameter
                    Properties: {Type: SecureString, Value: secret}
                Outputs:""");
        cloudFormation.updateStack(b -> b.stackName("sdk").templateBody(broken)
                .parameters(parameters("two", "1", "/sdk/first")).capabilities(Capability.CAPABILITY_IAM));
        StackStatus status = awaitSettled();
        assertThat(status).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(cloudFormation.describeStacks(b -> b.stackName("sdk")).stacks().get(0).stackStatusReason())
                .contains("failed to create: [Broken]");
        assertThat(ssm.getParameter(b -> b.name("/sdk/first")).parameter().value()).as("value rolled back")
                .isEqualTo("one");
        assertThat(resourceEvents("Parameter")).containsSubsequence(ResourceStatus.UPDATE_COMPLETE,
                ResourceStatus.UPDATE_IN_PROGRESS, ResourceStatus.UPDATE_COMPLETE);
        assertThat(resourceEvents("Broken")).containsSubsequence(ResourceStatus.CREATE_FAILED,
                ResourceStatus.DELETE_COMPLETE);
        assertThat(cloudFormation.getTemplate(b -> b.stackName("sdk")).templateBody()).isEqualTo(TEMPLATE);
        assertThat(cloudFormation.listStackResources(b -> b.stackName("sdk")).stackResourceSummaries())
                .extracting(summary -> summary.logicalResourceId()).containsExactlyInAnyOrder("Parameter", "Group",
                        "Role");
    }

    @Test
    void changeSetsShowReplacementAndCanBeListedDeletedAndExecuted() {
        cloudFormation.createChangeSet(b -> b.stackName("sdk").changeSetName("rename").templateBody(TEMPLATE)
                .changeSetType(ChangeSetType.UPDATE).parameters(parameters("two", "7", "/sdk/renamed"))
                .capabilities(Capability.CAPABILITY_IAM));
        DescribeChangeSetResponse rename = cloudFormation.waiter().waitUntilChangeSetCreateComplete(
                software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest.builder()
                        .stackName("sdk").changeSetName("rename").build(), FAST).matched().response().orElseThrow();
        assertThat(rename.executionStatus()).isEqualTo(ExecutionStatus.AVAILABLE);
        Map<String, ResourceChange> changes = rename.changes().stream().map(Change::resourceChange)
                .collect(Collectors.toMap(ResourceChange::logicalResourceId, change -> change));
        assertThat(changes.get("Parameter").replacement()).isEqualTo(Replacement.TRUE);
        assertThat(changes.get("Parameter").physicalResourceId()).isEqualTo("/sdk/first");
        assertThat(changes.get("Group").replacement()).isEqualTo(Replacement.FALSE);
        assertThat(changes.get("Role").replacement()).as("Description refers to the replaced parameter")
                .isEqualTo(Replacement.FALSE);

        cloudFormation.createChangeSet(b -> b.stackName("sdk").changeSetName("same").templateBody(TEMPLATE)
                .parameters(parameters("one", "1", "/sdk/first")).capabilities(Capability.CAPABILITY_IAM));
        DescribeChangeSetResponse same = cloudFormation.describeChangeSet(b -> b.stackName("sdk")
                .changeSetName("same"));
        assertThat(same.status()).isEqualTo(ChangeSetStatus.FAILED);
        assertThat(same.statusReason()).startsWith("The submitted information didn't contain changes.");
        assertThat(cloudFormation.listChangeSets(b -> b.stackName("sdk")).summaries())
                .extracting(summary -> summary.changeSetName()).containsExactly("rename", "same");
        cloudFormation.deleteChangeSet(b -> b.stackName("sdk").changeSetName("same"));
        assertThat(cloudFormation.listChangeSets(b -> b.stackName("sdk")).summaries()).hasSize(1);

        cloudFormation.executeChangeSet(b -> b.stackName("sdk").changeSetName(rename.changeSetId()));
        cloudFormation.waiter().waitUntilStackUpdateComplete(request(), FAST);
        assertThat(ssm.getParameter(b -> b.name("/sdk/renamed")).parameter().value()).isEqualTo("two");
        assertThat(cloudFormation.describeChangeSet(b -> b.changeSetName(rename.changeSetId())).executionStatus())
                .isEqualTo(ExecutionStatus.EXECUTE_COMPLETE);
    }

    private static DescribeStacksRequest request() {
        return DescribeStacksRequest.builder().stackName("sdk").build();
    }

    private static List<Parameter> parameters(String value, String retention, String name) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Value", value);
        values.put("Retention", retention);
        values.put("ParameterName", name);
        return values.entrySet().stream().map(entry -> Parameter.builder().parameterKey(entry.getKey())
                .parameterValue(entry.getValue()).build()).toList();
    }

    /** Polls (bounded: 30 s) until the stack leaves every *_IN_PROGRESS status. */
    private StackStatus awaitSettled() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            StackStatus status = cloudFormation.describeStacks(b -> b.stackName("sdk")).stacks().get(0).stackStatus();
            if (!status.toString().endsWith("_IN_PROGRESS")) {
                return status;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("stack sdk did not settle in 30 s");
    }

    /** Oldest first. */
    private List<StackEvent> events() {
        List<StackEvent> events = new java.util.ArrayList<>(
                cloudFormation.describeStackEventsPaginator(b -> b.stackName("sdk")).stackEvents().stream().toList());
        java.util.Collections.reverse(events);
        return events;
    }

    private List<ResourceStatus> resourceEvents(String logicalId) {
        return events().stream().filter(event -> event.logicalResourceId().equals(logicalId))
                .map(StackEvent::resourceStatus).toList();
    }
}
