package dev.initbench.bench.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * One line on a stack being created or deleted, from DescribeStackResources: how many resources are done and
 * which are in progress, naming the wait for provisioned concurrency (an alias in progress) since that is what
 * takes longest.
 */
final class StackProgress {

    private static final String ALIAS = "AWS::Lambda::Alias";

    /** What is being done to the stack: what its line starts with, counts, and says while the stack is absent. */
    private enum Operation {
        CREATION("deploy", ResourceStatus.CREATE_COMPLETE, "not created yet (orphan sweep, bucket, artifact upload)",
                true) {
            @Override
            String count(long complete, int total) {
                return complete + "/" + total + " resources created";
            }
        },
        DELETION("teardown", ResourceStatus.DELETE_COMPLETE, "deleted; removing the artifact", false) {
            @Override
            String count(long complete, int total) {
                return (total - complete) + " of " + total + " resources left";
            }
        };

        private final String label;
        private final ResourceStatus complete;
        private final String whileAbsent;
        private final boolean namesProvisionedConcurrency;

        Operation(String label, ResourceStatus complete, String whileAbsent, boolean namesProvisionedConcurrency) {
            this.label = label;
            this.complete = complete;
            this.whileAbsent = whileAbsent;
            this.namesProvisionedConcurrency = namesProvisionedConcurrency;
        }

        abstract String count(long complete, int total);
    }

    private StackProgress() {
    }

    /** "deploy 42 s: 9/12 resources created; in progress: EagerAlias, LazyAlias (provisioned concurrency ...)". */
    static String creation(CloudFormationClient cloudFormation, String stackName, Instant start) {
        return line(Operation.CREATION, cloudFormation, stackName, start);
    }

    /** "teardown 12 s: 5 of 12 resources left; in progress: EagerAlias, ...", by stack name or id. */
    static String deletion(CloudFormationClient cloudFormation, String stackName, Instant start) {
        return line(Operation.DELETION, cloudFormation, stackName, start);
    }

    private static String line(Operation operation, CloudFormationClient cloudFormation, String stackName,
            Instant start) {
        String prefix = operation.label + " " + Duration.between(start, Instant.now()).toSeconds() + " s: ";
        List<StackResource> resources;
        try {
            resources = cloudFormation.describeStackResources(b -> b.stackName(stackName)).stackResources();
        } catch (CloudFormationException absent) {
            return prefix + "stack " + stackName + " " + operation.whileAbsent;
        }
        long complete = resources.stream().filter(r -> r.resourceStatus() == operation.complete).count();
        return prefix + operation.count(complete, resources.size()) + inProgress(resources,
                operation.namesProvisionedConcurrency);
    }

    private static String inProgress(List<StackResource> resources, boolean namesProvisionedConcurrency) {
        List<StackResource> busy = resources.stream()
                .filter(r -> r.resourceStatusAsString() != null && r.resourceStatusAsString().endsWith("_IN_PROGRESS"))
                .toList();
        if (busy.isEmpty()) {
            return "";
        }
        boolean aliases = namesProvisionedConcurrency && busy.stream().anyMatch(r -> ALIAS.equals(r.resourceType()));
        return "; in progress: " + String.join(", ", busy.stream().map(StackResource::logicalResourceId).toList())
                + (aliases ? " (allocating provisioned concurrency)" : "");
    }
}
