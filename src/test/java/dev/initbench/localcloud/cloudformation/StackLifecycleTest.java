package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stack creation, failure, rollback and deletion as AWS sequences them, against fake providers. */
class StackLifecycleTest {

    private LocalStacks cloud;

    @BeforeEach
    void start() {
        cloud = new LocalStacks(Optional.empty(), "Test::Thing", "Test::Slow", "AWS::IAM::Role");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void createsInDependencyOrderAndIndependentResourcesConcurrently() {
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        cloud.provider("Test::Slow").createHook = () -> {
            try {
                // Only returns when the other Slow resource is being created at the same time.
                bothStarted.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new ResourceFailedException("not created concurrently with its sibling: " + e);
            }
        };
        String stackId = cloud.create("order", """
                Resources:
                  Last:
                    Type: Test::Thing
                    DependsOn: [Left, Right]
                    Properties: {Value: !Sub "${Middle}"}
                  Middle: {Type: Test::Thing, Properties: {Value: !GetAtt First.Arn}}
                  First: {Type: Test::Thing}
                  Left: {Type: Test::Slow, Properties: {After: !Ref First}}
                  Right: {Type: Test::Slow, Properties: {After: !Ref First}}
                """);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        List<String> created = cloud.journal.created();
        assertThat(created).containsExactlyInAnyOrder("First", "Middle", "Left", "Right", "Last");
        assertThat(created.get(0)).isEqualTo("First");
        assertThat(created.get(4)).isEqualTo("Last");
    }

    @Test
    void unsupportedTypeFailsTheStackAndRollsBackEverythingCreated() {
        String stackId = cloud.create("unsupported", """
                Resources:
                  Kept: {Type: Test::Thing}
                  Network: {Type: AWS::EC2::VPC, DependsOn: Kept, Properties: {CidrBlock: 10.0.0.0/16}}
                  Later: {Type: Test::Thing, Properties: {Vpc: !Ref Network}}
                """);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("ROLLBACK_COMPLETE");
        assertThat(cloud.eventTrail(stackId)).containsExactly(
                "unsupported CREATE_IN_PROGRESS",
                "Kept CREATE_IN_PROGRESS", "Kept CREATE_COMPLETE",
                "Network CREATE_IN_PROGRESS", "Network CREATE_FAILED",
                "unsupported ROLLBACK_IN_PROGRESS",
                "Network DELETE_COMPLETE",
                "Kept DELETE_IN_PROGRESS", "Kept DELETE_COMPLETE",
                "unsupported ROLLBACK_COMPLETE");
        assertThat(reasonOf(stackId, "Network", "CREATE_FAILED"))
                .isEqualTo("Resource type AWS::EC2::VPC is not supported by the local cloud");
        assertThat(reasonOf(stackId, "unsupported", "ROLLBACK_IN_PROGRESS"))
                .isEqualTo("The following resource(s) failed to create: [Network]. Rollback requested by user.");
        assertThat(cloud.liveResources()).isEmpty();
        assertThat(cloud.journal.deleted()).containsExactly("Kept");
    }

    @Test
    void providerFailureRollsBackInReverseDependencyOrder() {
        String stackId = cloud.create("failing", """
                Resources:
                  Base: {Type: Test::Thing}
                  Upper: {Type: Test::Thing, Properties: {Base: !Ref Base}}
                  Broken: {Type: Test::Slow, Properties: {Upper: !Ref Upper}}
                """);
        cloud.provider("Test::Slow").failureReason = "NotStabilized";
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("ROLLBACK_COMPLETE");
        assertThat(reasonOf(stackId, "Broken", "CREATE_FAILED")).isEqualTo("NotStabilized");
        assertThat(cloud.journal.deleted()).containsExactly("Upper", "Base");
        assertThat(cloud.liveResources()).isEmpty();
    }

    @Test
    void missingRequiredPropertyFailsTheResourceNamingIt() {
        LocalStacks strict = new LocalStacks(Optional.empty(), journal -> List.of(new FakeResourceProvider(
                "Test::Strict", java.util.Set.of("Name", "Size"), journal,
                request -> new ProvisionedResource("Test::Strict", request.logicalId(), "id", "id", Map.of()))));
        try (strict) {
            String stackId = strict.create("strict", """
                    Conditions:
                      Never: !Equals [a, b]
                    Resources:
                      Thing:
                        Type: Test::Strict
                        Properties: {Name: !If [Never, x, !Ref "AWS::NoValue"], Size: 1}
                    """);
            assertThat(strict.awaitSettled(stackId)).isEqualTo("ROLLBACK_COMPLETE");
            assertThat(strict.events(stackId)).anySatisfy(event -> assertThat(event)
                    .containsEntry("LogicalResourceId", "Thing").containsEntry("ResourceStatus", "CREATE_FAILED")
                    .containsEntry("ResourceStatusReason",
                            "Properties validation failed for resource Thing with message: #: required key [Name] not found"));
            assertThat(strict.journal.entries).isEmpty();
        }
    }

    @Test
    void iamResourcesNeedTheirCapability() {
        String role = "Resources:\n  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}\n";
        String namedRole = "Resources:\n  Role: {Type: AWS::IAM::Role, Properties: {RoleName: r, AssumeRolePolicyDocument: {}}}\n";
        assertThatThrownBy(() -> cloud.create("iam", role))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("InsufficientCapabilitiesException"))
                .hasMessage("Requires capabilities : [CAPABILITY_IAM]");
        assertThatThrownBy(() -> cloud.create("iam", namedRole, "Capabilities.member.1", "CAPABILITY_IAM"))
                .hasMessage("Requires capabilities : [CAPABILITY_NAMED_IAM]");
        assertThatThrownBy(() -> cloud.create("iam", role, "Capabilities.member.1", "CAPABILITY_EVERYTHING"))
                .hasMessageContaining("Value 'CAPABILITY_EVERYTHING' at 'capabilities' failed to satisfy constraint");
        assertThat(cloud.journal.entries).isEmpty();

        String stackId = cloud.create("iam", namedRole, "Capabilities.member.1", "CAPABILITY_NAMED_IAM");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.describe(stackId).get("Capabilities")).isEqualTo(List.of("CAPABILITY_NAMED_IAM"));
    }

    @Test
    void createStackReturnsAtOnceAndStatusProgresses() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        cloud.provider("Test::Slow").createHook = () -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        String stackId = cloud.create("async", "Resources:\n  Gate: {Type: Test::Slow}\n");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cloud.status("async")).isEqualTo("CREATE_IN_PROGRESS");
        assertThat(cloud.describe("async").get("StackStatusReason")).isEqualTo("User Initiated");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> resources = (List<Map<String, Object>>) cloud.call("DescribeStackResources",
                "StackName", "async").get("StackResources");
        assertThat(resources).singleElement().satisfies(resource -> assertThat(resource)
                .containsEntry("ResourceStatus", "CREATE_IN_PROGRESS").containsEntry("PhysicalResourceId", null));
        release.countDown();
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.describe(stackId).get("StackStatusReason")).isNull();
    }

    @Test
    void eventsAreNewestFirstAndPaginated() {
        StringBuilder template = new StringBuilder("Resources:\n");
        for (int i = 1; i <= 60; i++) {
            template.append("  R").append(i).append(": {Type: Test::Thing}\n");
        }
        String stackId = cloud.create("many", template.toString());
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        Map<String, Object> first = cloud.call("DescribeStackEvents", "StackName", "many");
        assertThat(first.get("StackEvents")).asList().hasSize(100);
        @SuppressWarnings("unchecked")
        Map<String, Object> newest = ((List<Map<String, Object>>) first.get("StackEvents")).get(0);
        assertThat(newest).containsEntry("LogicalResourceId", "many").containsEntry("ResourceStatus", "CREATE_COMPLETE")
                .containsEntry("ResourceType", "AWS::CloudFormation::Stack").containsEntry("PhysicalResourceId", stackId)
                .containsEntry("StackId", stackId).containsEntry("StackName", "many");
        assertThat(newest.get("Timestamp")).isInstanceOf(java.time.Instant.class);
        Map<String, Object> second = cloud.call("DescribeStackEvents", "StackName", "many", "NextToken",
                (String) first.get("NextToken"));
        assertThat(second.get("StackEvents")).asList().hasSize(22);
        assertThat(second).doesNotContainKey("NextToken");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> secondPage = (List<Map<String, Object>>) second.get("StackEvents");
        assertThat(secondPage.get(secondPage.size() - 1)).containsEntry("LogicalResourceId", "many")
                .containsEntry("ResourceStatus", "CREATE_IN_PROGRESS");
        assertThatThrownBy(() -> cloud.call("DescribeStackEvents", "StackName", "many", "NextToken", "bogus"))
                .hasMessageContaining("Invalid NextToken");
        assertThat(cloud.call("ListStackResources", "StackName", "many").get("StackResourceSummaries"))
                .asList().hasSize(60);
    }

    @Test
    void deleteRemovesResourcesInReverseOrderAndLeavesTheStackVisibleByArn() {
        String stackId = cloud.create("gone", """
                Resources:
                  Base: {Type: Test::Thing}
                  Upper: {Type: Test::Thing, Properties: {Base: !Ref Base}}
                """);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.call("DeleteStack", "StackName", "gone")).isNull();
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
        assertThat(cloud.journal.deleted()).containsExactly("Upper", "Base");
        assertThat(cloud.liveResources()).isEmpty();
        assertThat(cloud.eventTrail(stackId).subList(6, 12)).containsExactly("gone DELETE_IN_PROGRESS",
                "Upper DELETE_IN_PROGRESS", "Upper DELETE_COMPLETE", "Base DELETE_IN_PROGRESS", "Base DELETE_COMPLETE",
                "gone DELETE_COMPLETE");
        assertThat(cloud.describe(stackId).get("DeletionTime")).isNotNull();

        assertThatThrownBy(() -> cloud.describe("gone"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ValidationError"))
                .hasMessage("Stack with id gone does not exist");
        assertThat(cloud.call("DescribeStacks").get("Stacks")).asList().isEmpty();
        assertThat(cloud.call("DeleteStack", "StackName", "gone")).isNull();
        assertThat(cloud.call("DeleteStack", "StackName", "never-existed")).isNull();
        assertThat(cloud.call("ListStacks", "StackStatusFilter.member.1", "DELETE_COMPLETE").get("StackSummaries"))
                .asList().singleElement().satisfies(summary -> assertThat(map(summary))
                        .containsEntry("StackId", stackId).containsEntry("StackStatus", "DELETE_COMPLETE"));
        assertThat(cloud.call("ListStacks", "StackStatusFilter.member.1", "CREATE_COMPLETE").get("StackSummaries"))
                .asList().isEmpty();

        String again = cloud.create("gone", "Resources:\n  Base: {Type: Test::Thing}\n");
        assertThat(again).isNotEqualTo(stackId);
        assertThat(cloud.awaitSettled(again)).isEqualTo("CREATE_COMPLETE");
    }

    @Test
    void unknownStacksAndExistingNamesGetAwsErrors() {
        for (String action : List.of("DescribeStacks", "DescribeStackEvents", "DescribeStackResources",
                "ListStackResources", "GetTemplate", "UpdateStack", "ListChangeSets", "GetTemplateSummary")) {
            assertThatThrownBy(() -> cloud.call(action, "StackName", "nope"))
                    .as(action).hasMessage("Stack with id nope does not exist");
        }
        String stackId = cloud.create("twice", "Resources:\n  A: {Type: Test::Thing}\n");
        assertThatThrownBy(() -> cloud.create("twice", "Resources:\n  A: {Type: Test::Thing}\n"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("AlreadyExistsException"))
                .hasMessage("Stack [twice] already exists");
        cloud.awaitSettled(stackId);
        assertThatThrownBy(() -> cloud.call("DescribeStackResource", "StackName", "twice", "LogicalResourceId", "B"))
                .hasMessage("Resource B does not exist for stack twice");
        assertThatThrownBy(() -> cloud.call("DetectStackDrift", "StackName", "twice"))
                .isInstanceOf(NotEmulatedException.class).hasMessageContaining("DetectStackDrift");
    }

    @Test
    void onFailureDoNothingKeepsResourcesUntilDeleted() {
        String stackId = cloud.create("keep", """
                Resources:
                  Kept: {Type: Test::Thing}
                  Broken: {Type: AWS::EC2::VPC, DependsOn: Kept}
                """, "OnFailure", "DO_NOTHING");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_FAILED");
        assertThat(cloud.describe(stackId)).containsEntry("DisableRollback", true)
                .containsEntry("StackStatusReason", "The following resource(s) failed to create: [Broken]. ");
        assertThat(cloud.liveResources()).containsExactly("keep.Kept");
        cloud.call("DeleteStack", "StackName", stackId);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
        assertThat(cloud.liveResources()).isEmpty();
    }

    @Test
    void disableRollbackAndOnFailureDelete() {
        String template = "Resources:\n  Kept: {Type: Test::Thing}\n  Broken: {Type: Nope::Nope, DependsOn: Kept}\n";
        String kept = cloud.create("disabled", template, "DisableRollback", "true");
        assertThat(cloud.awaitSettled(kept)).isEqualTo("CREATE_FAILED");
        String deleted = cloud.create("deleted", template, "OnFailure", "DELETE");
        assertThat(cloud.awaitSettled(deleted)).isEqualTo("DELETE_COMPLETE");
        assertThat(cloud.liveResources()).containsExactly("disabled.Kept");
        assertThatThrownBy(() -> cloud.create("both", template, "OnFailure", "DELETE", "DisableRollback", "true"))
                .hasMessage("You cannot specify both OnFailure and DisableRollback.");
    }

    @Test
    void deletionPolicyRetainSkipsTheResource() {
        String template = """
                Resources:
                  Kept: {Type: Test::Thing, DeletionPolicy: Retain}
                  KeptUnlessNew: {Type: Test::Thing, DeletionPolicy: RetainExceptOnCreate}
                  Gone: {Type: Test::Thing, Properties: {K: !Ref Kept}}
                """;
        String stackId = cloud.create("retain", template);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        cloud.call("DeleteStack", "StackName", "retain");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
        assertThat(cloud.liveResources()).containsExactly("retain.Kept", "retain.KeptUnlessNew");
        assertThat(cloud.eventTrail(stackId)).contains("Kept DELETE_SKIPPED", "KeptUnlessNew DELETE_SKIPPED");

        String rolledBack = cloud.create("rollback", template.replace("Gone: {Type: Test::Thing",
                "Gone: {Type: Nope::Nope"));
        assertThat(cloud.awaitSettled(rolledBack)).isEqualTo("ROLLBACK_COMPLETE");
        assertThat(cloud.liveResources()).containsExactly("retain.Kept", "retain.KeptUnlessNew", "rollback.Kept");
    }

    @Test
    void deleteDuringCreationRunsAfterIt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        cloud.provider("Test::Slow").createHook = () -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        String stackId = cloud.create("busy", "Resources:\n  Gate: {Type: Test::Slow}\n");
        cloud.call("DeleteStack", "StackName", "busy");
        assertThat(cloud.status(stackId)).isEqualTo("CREATE_IN_PROGRESS");
        release.countDown();
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
        assertThat(cloud.liveResources()).isEmpty();
    }

    @Test
    void describesOutputsTagsResourcesAndTemplate() {
        String template = """
                Description: described
                Conditions:
                  Never: !Equals [a, b]
                Resources:
                  Thing: {Type: Test::Thing}
                  Skipped: {Type: Test::Thing, Condition: Never}
                Outputs:
                  ThingArn:
                    Description: its arn
                    Value: !GetAtt Thing.Arn
                    Export: {Name: !Sub "${AWS::StackName}-arn"}
                  Hidden: {Value: x, Condition: Never}
                """;
        String stackId = cloud.create("shown", template, "Tags.member.1.Key", "team", "Tags.member.1.Value", "cfn");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        Map<String, Object> stack = cloud.describe("shown");
        assertThat(stack).containsEntry("Description", "described")
                .containsEntry("Tags", List.of(Map.of("Key", "team", "Value", "cfn")))
                .containsEntry("Outputs", List.of(Map.of("OutputKey", "ThingArn", "OutputValue", "arn:fake:Thing",
                        "Description", "its arn", "ExportName", "shown-arn")));
        assertThat(cloud.journal.created()).containsExactly("Thing");
        assertThat(cloud.call("DescribeStackResource", "StackName", "shown", "LogicalResourceId", "Thing")
                .get("StackResourceDetail")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("PhysicalResourceId", "shown.Thing").containsEntry("ResourceStatus", "CREATE_COMPLETE")
                .containsEntry("ResourceType", "Test::Thing").containsEntry("StackId", stackId);
        assertThat(cloud.call("DescribeStackResources", "PhysicalResourceId", "shown.Thing").get("StackResources"))
                .asList().singleElement().satisfies(resource -> assertThat(map(resource))
                        .containsEntry("LogicalResourceId", "Thing").containsEntry("StackName", "shown"));
        assertThat(cloud.call("GetTemplate", "StackName", stackId)).containsEntry("TemplateBody", template);
        assertThat(cloud.call("ListStacks").get("StackSummaries")).asList().singleElement()
                .satisfies(summary -> assertThat(map(summary)).containsEntry("TemplateDescription", "described"));
    }

    @Test
    void templateUrlIsReadFromTheLocalS3() {
        cloud.putObject("templates", "dir/stack one.yaml", "Resources:\n  FromS3: {Type: Test::Thing}\n");
        for (String url : List.of("http://127.0.0.1:4566/templates/dir/stack%20one.yaml",
                "http://templates.localhost:4566/dir/stack%20one.yaml",
                "https://templates.s3.amazonaws.com/dir/stack%20one.yaml",
                "https://templates.s3.eu-west-1.amazonaws.com/dir/stack%20one.yaml",
                "https://s3.eu-west-1.amazonaws.com/templates/dir/stack%20one.yaml")) {
            assertThat(cloud.call("ValidateTemplate", "TemplateURL", url)).as(url).containsKey("Parameters");
        }
        String stackId = (String) cloud.call("CreateStack", "StackName", "s3", "TemplateURL",
                "http://127.0.0.1:4566/templates/dir/stack%20one.yaml").get("StackId");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThatThrownBy(() -> cloud.call("ValidateTemplate", "TemplateURL", "http://127.0.0.1:4566/templates/missing"))
                .hasMessageContaining("TemplateURL must reference a valid S3 object to which you have access: "
                        + "NoSuchKey for s3://templates/missing");
        assertThatThrownBy(() -> cloud.call("ValidateTemplate", "TemplateURL", "https://example.com/t.yaml"))
                .hasMessageContaining("TemplateURL must be a supported URL");
    }

    private String reasonOf(String stackId, String logicalId, String status) {
        return cloud.events(stackId).stream()
                .filter(event -> logicalId.equals(event.get("LogicalResourceId")) && status.equals(event.get("ResourceStatus")))
                .map(event -> (String) event.get("ResourceStatusReason"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + status + " event for " + logicalId));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object member) {
        return (Map<String, Object>) member;
    }
}
