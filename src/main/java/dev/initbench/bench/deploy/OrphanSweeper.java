package dev.initbench.bench.deploy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;

/**
 * Finds and deletes stacks a killed run left behind: tagged with this project, created longer ago than a
 * threshold (so a run in progress elsewhere is left alone), not already deleted. Says what it deletes.
 */
public final class OrphanSweeper {

    private final CloudFormationClient cloudFormation;
    private final Duration minimumAge;
    private final Duration pollDelay;
    private final Duration timeout;
    private final Consumer<String> progress;

    public OrphanSweeper(CloudFormationClient cloudFormation, Duration minimumAge, Duration pollDelay,
                         Duration timeout, Consumer<String> progress) {
        this.cloudFormation = cloudFormation;
        this.minimumAge = minimumAge;
        this.pollDelay = pollDelay;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** Deletes the orphans and returns their names. */
    public List<String> sweep() {
        Instant cutoff = Instant.now().minus(minimumAge);
        List<Stack> orphans = cloudFormation.describeStacksPaginator(b -> { }).stacks().stream()
                .filter(stack -> stack.stackStatus() != StackStatus.DELETE_COMPLETE)
                .filter(stack -> tag(stack, ProjectTags.PROJECT_KEY).filter(ProjectTags.PROJECT::equals).isPresent())
                .filter(stack -> createdAt(stack).isBefore(cutoff))
                .toList();
        for (Stack orphan : orphans) {
            progress.accept("deleting stack " + orphan.stackName() + " left by killed run "
                    + tag(orphan, ProjectTags.RUN_ID_KEY).orElse("?") + " (created " + createdAt(orphan)
                    + ", status " + orphan.stackStatusAsString() + ")");
            cloudFormation.deleteStack(b -> b.stackName(orphan.stackId()));
        }
        if (!orphans.isEmpty()) {
            try (CloudFormationWaiter waiter = CloudFormationWaiter.builder().client(cloudFormation)
                    .overrideConfiguration(WaiterOverrideConfiguration.builder()
                            .backoffStrategy(FixedDelayBackoffStrategy.create(pollDelay))
                            .maxAttempts(Integer.MAX_VALUE).waitTimeout(timeout).build())
                    .build()) {
                orphans.forEach(orphan -> waiter.waitUntilStackDeleteComplete(b -> b.stackName(orphan.stackId())));
            }
        }
        return orphans.stream().map(Stack::stackName).toList();
    }

    private static Instant createdAt(Stack stack) {
        try {
            return tag(stack, ProjectTags.CREATED_AT_KEY).map(Instant::parse).orElse(stack.creationTime());
        } catch (DateTimeParseException e) {
            return stack.creationTime();
        }
    }

    private static Optional<String> tag(Stack stack, String key) {
        return stack.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst();
    }
}
