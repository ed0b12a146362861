package dev.initbench.localcloud.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a data folder, stacks survive a restart; an operation cut short by a crash ends failed, not stuck. */
class StackPersistenceTest {

    private static final String TEMPLATE = """
            Parameters:
              Secret: {Type: String, NoEcho: true}
            Resources:
              Base: {Type: Test::Thing}
              Upper: {Type: Test::Thing, Properties: {Base: !Ref Base}}
            Outputs:
              UpperArn: {Value: !GetAtt Upper.Arn, Description: the arn}
            """;

    @TempDir
    Path dataDirectory;

    @Test
    void stacksSurviveRestartAndCanBeDeletedAfterIt() {
        String stackId;
        Map<String, Object> before;
        List<Map<String, Object>> eventsBefore;
        try (LocalStacks first = new LocalStacks(Optional.of(dataDirectory), "Test::Thing")) {
            stackId = first.create("durable", TEMPLATE, "Parameters.member.1.ParameterKey", "Secret",
                    "Parameters.member.1.ParameterValue", "s3cret", "Tags.member.1.Key", "k", "Tags.member.1.Value", "v");
            assertThat(first.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
            before = first.describe("durable");
            eventsBefore = first.events(stackId);
        }
        assertThat(dataDirectory.resolve("cloudformation/stacks.json")).exists();

        try (LocalStacks second = new LocalStacks(Optional.of(dataDirectory), "Test::Thing")) {
            assertThat(second.describe("durable")).isEqualTo(before);
            assertThat(before.get("Parameters")).isEqualTo(List.of(Map.of("ParameterKey", "Secret", "ParameterValue", "****")));
            assertThat(second.events(stackId)).isEqualTo(eventsBefore);
            assertThat(second.call("GetTemplate", "StackName", "durable")).containsEntry("TemplateBody", TEMPLATE);
            second.call("DeleteStack", "StackName", "durable");
            assertThat(second.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
            // The restored provisioned resources reached the (new) provider, in reverse dependency order.
            assertThat(second.journal.deleted()).containsExactly("Upper", "Base");
        }

        try (LocalStacks third = new LocalStacks(Optional.of(dataDirectory), "Test::Thing")) {
            assertThat(third.status(stackId)).isEqualTo("DELETE_COMPLETE");
            assertThatThrownBy(() -> third.describe("durable")).hasMessage("Stack with id durable does not exist");
        }
    }

    @Test
    void operationInterruptedByACrashIsRestoredAsFailed(@TempDir Path crashCopy) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        String stackId;
        try (LocalStacks running = new LocalStacks(Optional.of(dataDirectory), "Test::Thing", "Test::Slow")) {
            running.provider("Test::Slow").createHook = () -> {
                entered.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            stackId = running.create("cut", "Resources:\n  Done: {Type: Test::Thing}\n"
                    + "  Pending: {Type: Test::Slow, DependsOn: Done}\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // What a crash at this moment leaves on disk.
            Files.createDirectories(crashCopy.resolve("cloudformation"));
            Files.copy(dataDirectory.resolve("cloudformation/stacks.json"), crashCopy.resolve("cloudformation/stacks.json"));
            release.countDown();
        }
        try (LocalStacks restarted = new LocalStacks(Optional.of(crashCopy), "Test::Thing", "Test::Slow")) {
            assertThat(restarted.status(stackId)).isEqualTo("CREATE_FAILED");
            assertThat((String) restarted.describe(stackId).get("StackStatusReason"))
                    .contains("The local cloud stopped while this stack operation was in progress");
            assertThat(restarted.call("DescribeStackResource", "StackName", "cut", "LogicalResourceId", "Pending")
                    .get("StackResourceDetail")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("ResourceStatus", "CREATE_FAILED");
            restarted.call("DeleteStack", "StackName", "cut");
            assertThat(restarted.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
            assertThat(restarted.journal.deleted()).containsExactly("Done");
        }
    }
}
