package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesResponse;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/** The heartbeat lines of a stack being created or deleted, from a DescribeStackResources answer. */
class StackProgressTest {

    private static final String STACK = "initbench-run";

    @Test
    void creationCountsCompleteResourcesAndNamesTheProvisionedConcurrencyWait() {
        CloudFormationClient cloudFormation = answering(List.of(
                resource("Role", "AWS::IAM::Role", ResourceStatus.CREATE_COMPLETE),
                resource("EagerFunction", "AWS::Lambda::Function", ResourceStatus.CREATE_COMPLETE),
                resource("EagerAlias", "AWS::Lambda::Alias", ResourceStatus.CREATE_IN_PROGRESS),
                resource("LazyAlias", "AWS::Lambda::Alias", ResourceStatus.CREATE_IN_PROGRESS)));

        assertThat(StackProgress.creation(cloudFormation, STACK, Instant.now())).matches("deploy \\d+ s: 2/4 "
                + "resources created; in progress: EagerAlias, LazyAlias \\(allocating provisioned concurrency\\)");
    }

    @Test
    void creationNamesNoWaitWhenNothingIsInProgress() {
        CloudFormationClient cloudFormation = answering(List.of(
                resource("Role", "AWS::IAM::Role", ResourceStatus.CREATE_COMPLETE),
                resource("EagerFunction", "AWS::Lambda::Function", ResourceStatus.CREATE_FAILED)));

        assertThat(StackProgress.creation(cloudFormation, STACK, Instant.now()))
                .matches("deploy \\d+ s: 1/2 resources created");
    }

    @Test
    void creationBeforeTheStackExistsSaysWhatIsHappeningInstead() {
        assertThat(StackProgress.creation(missingStack(), STACK, Instant.now().minusSeconds(3))).matches(
                "deploy [3-9] s: stack initbench-run not created yet \\(orphan sweep, bucket, artifact upload\\)");
    }

    @Test
    void deletionCountsWhatIsLeftWithoutTheProvisionedConcurrencyNote() {
        CloudFormationClient cloudFormation = answering(List.of(
                resource("Role", "AWS::IAM::Role", ResourceStatus.DELETE_COMPLETE),
                resource("EagerFunction", "AWS::Lambda::Function", ResourceStatus.CREATE_COMPLETE),
                resource("EagerAlias", "AWS::Lambda::Alias", ResourceStatus.DELETE_IN_PROGRESS)));

        assertThat(StackProgress.deletion(cloudFormation, STACK, Instant.now()))
                .matches("teardown \\d+ s: 2 of 3 resources left; in progress: EagerAlias");
    }

    @Test
    void deletionOnceTheStackIsGoneSaysTheArtifactIsNext() {
        assertThat(StackProgress.deletion(missingStack(), STACK, Instant.now()))
                .matches("teardown \\d+ s: stack initbench-run deleted; removing the artifact");
    }

    private static StackResource resource(String logicalId, String type, ResourceStatus status) {
        return StackResource.builder().logicalResourceId(logicalId).resourceType(type).resourceStatus(status).build();
    }

    /** A client whose DescribeStackResources answers {@code resources} for {@link #STACK}. */
    private static CloudFormationClient answering(List<StackResource> resources) {
        return describing(request -> {
            assertThat(request.stackName()).isEqualTo(STACK);
            return DescribeStackResourcesResponse.builder().stackResources(resources).build();
        });
    }

    /** A client whose DescribeStackResources fails as CloudFormation does for a stack that does not exist. */
    private static CloudFormationClient missingStack() {
        return describing(request -> {
            throw (CloudFormationException) CloudFormationException.builder()
                    .message("Stack with id " + request.stackName() + " does not exist").statusCode(400).build();
        });
    }

    private static CloudFormationClient describing(
            Function<DescribeStackResourcesRequest, DescribeStackResourcesResponse> describeStackResources) {
        return new CloudFormationClient() {
            @Override
            public DescribeStackResourcesResponse describeStackResources(DescribeStackResourcesRequest request) {
                return describeStackResources.apply(request);
            }

            @Override
            public String serviceName() {
                return "cloudformation";
            }

            @Override
            public void close() {
            }
        };
    }
}
