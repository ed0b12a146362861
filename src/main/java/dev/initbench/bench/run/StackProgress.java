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

    private StackProgress() {
    }

    /** "deploy 42 s: 9/12 resources created; in progress: EagerAlias, LazyAlias (provisioned concurrency ...)". */
    static String creation(CloudFormationClient cloudFormation, String stackName, Instant start) {
        String prefix = "deploy " + seconds(start) + ": ";
        List<StackResource> resources;
        try {
            resources = cloudFormation.describeStackResources(b -> b.stackName(stackName)).stackResources();
        } catch (CloudFormationException notYet) {
            return prefix + "stack " + stackName + " not created yet (orphan sweep, bucket, artifact upload)";
        }
        long created = resources.stream().filter(r -> r.resourceStatus() == ResourceStatus.CREATE_COMPLETE).count();
        return prefix + created + "/" + resources.size() + " resources created" + inProgress(resources, true);
    }

    /** "teardown 12 s: 5 of 12 resources left; in progress: EagerAlias, ...", by stack name or id. */
    static String deletion(CloudFormationClient cloudFormation, String stackName, Instant start) {
        String prefix = "teardown " + seconds(start) + ": ";
        List<StackResource> resources;
        try {
            resources = cloudFormation.describeStackResources(b -> b.stackName(stackName)).stackResources();
        } catch (CloudFormationException gone) {
            return prefix + "stack " + stackName + " deleted; removing the artifact";
        }
        long left = resources.stream().filter(r -> r.resourceStatus() != ResourceStatus.DELETE_COMPLETE).count();
        return prefix + left + " of " + resources.size() + " resources left" + inProgress(resources, false);
    }

    private static String inProgress(List<StackResource> resources, boolean creating) {
        List<StackResource> busy = resources.stream()
                .filter(r -> r.resourceStatusAsString() != null && r.resourceStatusAsString().endsWith("_IN_PROGRESS"))
                .toList();
        if (busy.isEmpty()) {
            return "";
        }
        boolean aliases = creating && busy.stream().anyMatch(r -> ALIAS.equals(r.resourceType()));
        return "; in progress: " + String.join(", ", busy.stream().map(StackResource::logicalResourceId).toList())
                + (aliases ? " (allocating provisioned concurrency)" : "");
    }

    private static String seconds(Instant start) {
        return Duration.between(start, Instant.now()).toSeconds() + " s";
    }
}
