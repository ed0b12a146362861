package dev.initbench.localcloud.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UpdateStack and change sets as AWS sequences them, against fake providers (create-only property: Name). */
class StackUpdateTest {

    private static final String TEMPLATE = """
            Parameters:
              Value: {Type: String, Default: one}
              Name: {Type: String, Default: first}
            Resources:
              Base: {Type: Test::Thing, Properties: {Name: !Ref Name}}
              InPlace: {Type: Test::Thing, Properties: {Value: !Ref Value}}
              Dependent: {Type: Test::Thing, Properties: {Value: fixed, Target: !Ref Base}}
            Outputs:
              BaseRef: {Value: !Ref Base}
            """;

    private LocalStacks cloud;

    @BeforeEach
    void start() {
        cloud = new LocalStacks(Optional.empty(), "Test::Thing");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private String created() {
        String stackId = cloud.create("app", TEMPLATE);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        cloud.journal.entries.clear();
        return stackId;
    }

    private static String[] parameters(String value, String name) {
        return new String[] {"Parameters.member.1.ParameterKey", "Value", "Parameters.member.1.ParameterValue", value,
                "Parameters.member.2.ParameterKey", "Name", "Parameters.member.2.ParameterValue", name};
    }

    private void update(String stackId, String... parameters) {
        String[] request = new String[parameters.length + 4];
        request[0] = "StackName";
        request[1] = stackId;
        request[2] = "TemplateBody";
        request[3] = TEMPLATE;
        System.arraycopy(parameters, 0, request, 4, parameters.length);
        cloud.call("UpdateStack", request);
    }

    @Test
    void inPlaceUpdateChangesOnlyWhatDiffersAndEmitsUpdateStatuses() {
        String stackId = created();
        update(stackId, parameters("two", "first"));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.journal.entries).containsExactly("update:InPlace=two");
        List<String> trail = cloud.eventTrail(stackId);
        assertThat(trail.subList(trail.indexOf("app UPDATE_IN_PROGRESS"), trail.size())).containsExactly(
                "app UPDATE_IN_PROGRESS", "InPlace UPDATE_IN_PROGRESS", "InPlace UPDATE_COMPLETE",
                "app UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "app UPDATE_COMPLETE");
        assertThat(cloud.describe(stackId).get("LastUpdatedTime")).isNotNull();
        assertThat(cloud.provider("Test::Thing").requests.get("InPlace").properties()).containsEntry("Value", "two");
    }

    @Test
    void replacementCreatesTheNewResourceUpdatesDependentsAndDeletesTheOldOneInCleanup() {
        String stackId = created();
        String oldBase = physicalId(stackId, "Base");
        update(stackId, parameters("one", "second"));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        String newBase = physicalId(stackId, "Base");
        assertThat(newBase).isNotEqualTo(oldBase);
        // Dependent's Target (Ref Base) changed with the replacement: an in-place update, then the old Base goes.
        assertThat(cloud.journal.entries).containsExactly("create:Base", "update:Dependent=fixed", "delete:Base");
        assertThat(cloud.liveResources()).doesNotContain(oldBase).contains(newBase);
        assertThat(cloud.outputs(stackId)).containsEntry("BaseRef", "Base-id#3");
        List<Map<String, Object>> events = cloud.events(stackId);
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("LogicalResourceId")).isEqualTo("Base");
            assertThat(event.get("ResourceStatusReason")).isEqualTo(StackEngine.REPLACEMENT_REASON);
        });
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("PhysicalResourceId")).isEqualTo(oldBase);
            assertThat(event.get("ResourceStatus")).isEqualTo("DELETE_COMPLETE");
        });
    }

    @Test
    void failingUpdateRollsBackToTheOldResourcesIntact() {
        String stackId = created();
        String oldBase = physicalId(stackId, "Base");
        cloud.provider("Test::Thing").refusedValue = "two";
        update(stackId, parameters("two", "second"));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        Map<String, Object> stack = cloud.describe(stackId);
        assertThat((String) stack.get("StackStatusReason")).contains("failed to update: [InPlace]");
        assertThat(cloud.journal.entries).contains("update:InPlace=two", "update:InPlace=one");
        // The old Base is current again, the replacement deleted; the parameters are the old ones.
        assertThat(physicalId(stackId, "Base")).isEqualTo(oldBase);
        assertThat(cloud.liveResources()).containsExactlyInAnyOrder("app.Base", "app.InPlace", "app.Dependent");
        assertThat(cloud.outputs(stackId)).containsEntry("BaseRef", "Base-id");
        assertThat(stack.get("Parameters").toString()).contains("one").doesNotContain("two");
        List<String> trail = cloud.eventTrail(stackId);
        assertThat(trail).contains("app UPDATE_ROLLBACK_IN_PROGRESS",
                "app UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "app UPDATE_ROLLBACK_COMPLETE");
        assertThat(trail.get(trail.size() - 1)).isEqualTo("app UPDATE_ROLLBACK_COMPLETE");
        // A stack rolled back from an update can be updated again.
        update(stackId, parameters("three", "first"));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
    }

    @Test
    void updateWithoutChangesIsRefusedAndAddedAndRemovedResourcesAreHandled() {
        String stackId = created();
        assertThatThrownBy(() -> update(stackId)).isInstanceOf(AwsServiceException.class)
                .hasMessage("No updates are to be performed.");
        cloud.call("UpdateStack", "StackName", stackId, "TemplateBody", """
                Resources:
                  Base: {Type: Test::Thing, Properties: {Name: first}}
                  Added: {Type: Test::Thing, Properties: {Value: new}}
                """);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.journal.created()).containsExactly("Added");
        assertThat(cloud.journal.deleted()).containsExactlyInAnyOrder("InPlace", "Dependent");
        assertThat(cloud.liveResources()).containsExactlyInAnyOrder("app.Base", "app.Added");
        assertThat(cloud.outputs(stackId)).isEmpty();
    }

    @Test
    void usePreviousValueKeepsAParameterAndUsePreviousTemplateTheTemplate() {
        String stackId = created();
        cloud.call("UpdateStack", "StackName", stackId, "UsePreviousTemplate", "true",
                "Parameters.member.1.ParameterKey", "Value", "Parameters.member.1.ParameterValue", "two",
                "Parameters.member.2.ParameterKey", "Name", "Parameters.member.2.UsePreviousValue", "true");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.journal.entries).containsExactly("update:InPlace=two");
    }

    @Test
    @SuppressWarnings("unchecked")
    void changeSetShowsReplacementAndCausesAndExecutesLikeAnUpdate() {
        String stackId = created();
        String[] request = concat(new String[] {"StackName", "app", "ChangeSetName", "rename",
                "TemplateBody", TEMPLATE}, parameters("two", "second"));
        Map<String, Object> createdSet = cloud.call("CreateChangeSet", request);
        assertThat(createdSet.get("StackId")).isEqualTo(stackId);
        Map<String, Object> described = cloud.call("DescribeChangeSet", "StackName", "app", "ChangeSetName", "rename");
        assertThat(described.get("Status")).isEqualTo("CREATE_COMPLETE");
        assertThat(described.get("ExecutionStatus")).isEqualTo("AVAILABLE");
        Map<String, Map<String, Object>> changes = new java.util.LinkedHashMap<>();
        ((List<Map<String, Object>>) described.get("Changes")).forEach(change -> {
            Map<String, Object> resourceChange = (Map<String, Object>) change.get("ResourceChange");
            changes.put((String) resourceChange.get("LogicalResourceId"), resourceChange);
        });
        assertThat(changes.keySet()).containsExactly("Base", "InPlace", "Dependent");
        assertThat(changes.get("Base")).containsEntry("Action", "Modify").containsEntry("Replacement", "True");
        assertThat(changes.get("InPlace")).containsEntry("Replacement", "False");
        // Dependent refers to Base, which is replaced: its change is known only during the update.
        assertThat(changes.get("Dependent")).containsEntry("Replacement", "False");
        Map<String, Object> baseDetail = ((List<Map<String, Object>>) changes.get("Base").get("Details")).get(0);
        assertThat(baseDetail).containsEntry("ChangeSource", "ParameterReference").containsEntry("CausingEntity", "Name")
                .containsEntry("Evaluation", "Static");
        assertThat((Map<String, Object>) baseDetail.get("Target")).containsEntry("Name", "Name")
                .containsEntry("RequiresRecreation", "Always");
        Map<String, Object> dependentDetail = ((List<Map<String, Object>>) changes.get("Dependent").get("Details"))
                .get(0);
        assertThat(dependentDetail).containsEntry("ChangeSource", "ResourceReference")
                .containsEntry("CausingEntity", "Base").containsEntry("Evaluation", "Dynamic");
        assertThat(cloud.status(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.journal.entries).isEmpty();

        cloud.call("ExecuteChangeSet", "StackName", "app", "ChangeSetName", "rename");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.call("DescribeChangeSet", "StackName", "app", "ChangeSetName", "rename")
                .get("ExecutionStatus")).isEqualTo("EXECUTE_COMPLETE");
        assertThat(cloud.journal.entries).contains("create:Base", "update:InPlace=two", "delete:Base");
        assertThatThrownBy(() -> cloud.call("ExecuteChangeSet", "StackName", "app", "ChangeSetName", "rename"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("InvalidChangeSetStatus"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void emptyChangeSetFailsWithTheReasonTheCliLooksForAndChangeSetsCanBeListedAndDeleted() {
        created();
        cloud.call("CreateChangeSet", "StackName", "app", "ChangeSetName", "same", "TemplateBody", TEMPLATE);
        Map<String, Object> same = cloud.call("DescribeChangeSet", "StackName", "app", "ChangeSetName", "same");
        assertThat(same.get("Status")).isEqualTo("FAILED");
        assertThat(same.get("ExecutionStatus")).isEqualTo("UNAVAILABLE");
        assertThat((String) same.get("StatusReason")).contains("The submitted information didn't contain changes.");
        cloud.call("CreateChangeSet", concat(new String[] {"StackName", "app", "ChangeSetName", "other",
                "TemplateBody", TEMPLATE}, parameters("two", "first")));
        List<Map<String, Object>> summaries = (List<Map<String, Object>>) cloud.call("ListChangeSets",
                "StackName", "app").get("Summaries");
        assertThat(summaries).extracting(summary -> summary.get("ChangeSetName")).containsExactly("same", "other");
        String otherId = (String) summaries.get(1).get("ChangeSetId");
        cloud.call("DeleteChangeSet", "ChangeSetName", otherId);
        assertThat((List<?>) cloud.call("ListChangeSets", "StackName", "app").get("Summaries")).hasSize(1);
        assertThatThrownBy(() -> cloud.call("DescribeChangeSet", "StackName", "app", "ChangeSetName", "other"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ChangeSetNotFound"));
    }

    @Test
    void createChangeSetMakesAReviewStackThatExecutionCreates() {
        cloud.call("CreateChangeSet", "StackName", "fresh", "ChangeSetName", "first", "ChangeSetType", "CREATE",
                "TemplateBody", TEMPLATE);
        assertThat(cloud.status("fresh")).isEqualTo("REVIEW_IN_PROGRESS");
        assertThat(cloud.liveResources()).isEmpty();
        cloud.call("ExecuteChangeSet", "StackName", "fresh", "ChangeSetName", "first");
        String stackId = (String) cloud.describe("fresh").get("StackId");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.eventTrail(stackId).get(0)).isEqualTo("fresh REVIEW_IN_PROGRESS");
        assertThat(cloud.call("DescribeChangeSet", "StackName", "fresh", "ChangeSetName", "first")
                .get("ExecutionStatus")).isEqualTo("EXECUTE_COMPLETE");
        assertThatThrownBy(() -> cloud.call("CreateChangeSet", "StackName", "fresh", "ChangeSetName", "again",
                "ChangeSetType", "CREATE", "TemplateBody", TEMPLATE)).hasMessageContaining("already exists");
    }

    @Test
    void changeSetsAndUpdatedStacksSurviveARestart(@TempDir Path data) {
        cloud.close();
        cloud = new LocalStacks(Optional.of(data), "Test::Thing");
        String stackId = created();
        update(stackId, parameters("two", "first"));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        cloud.call("CreateChangeSet", concat(new String[] {"StackName", "app", "ChangeSetName", "later",
                "TemplateBody", TEMPLATE}, parameters("three", "first")));
        cloud.close();
        cloud = new LocalStacks(Optional.of(data), "Test::Thing");
        assertThat(cloud.status(stackId)).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.call("DescribeChangeSet", "StackName", "app", "ChangeSetName", "later")
                .get("ExecutionStatus")).isEqualTo("AVAILABLE");
        cloud.call("ExecuteChangeSet", "StackName", "app", "ChangeSetName", "later");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.journal.entries).containsExactly("update:InPlace=three");
    }

    @SuppressWarnings("unchecked")
    private String physicalId(String stackId, String logicalId) {
        return (String) ((Map<String, Object>) cloud.call("DescribeStackResource", "StackName", stackId,
                "LogicalResourceId", logicalId).get("StackResourceDetail")).get("PhysicalResourceId");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
