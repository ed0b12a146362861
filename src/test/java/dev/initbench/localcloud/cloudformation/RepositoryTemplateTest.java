package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The project's own {@code template.yaml}, deployed through the service with fake providers that answer Ref and
 * Fn::GetAtt the way AWS does for each type: creation order, the values every resource receives, the outputs, and
 * the teardown.
 */
class RepositoryTemplateTest {

    private static final String LAMBDA_ARN = TemplateYamlProviders.LAMBDA_ARN;

    private final CyclicBarrier aliasesTogether = new CyclicBarrier(2);
    private LocalStacks cloud;
    private String template;

    @BeforeEach
    void start() throws IOException {
        template = Files.readString(Path.of("template.yaml"));
        cloud = new LocalStacks(Optional.empty(), TemplateYamlProviders::of);
        cloud.provider("AWS::Lambda::Alias").createHook = this::awaitOtherAlias;
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void deploysWithResolvedPropertiesInDependencyOrderAndTearsDown() {
        String stackId = cloud.create("bench", template, "Parameters.member.1.ParameterKey", "ArtifactBucket",
                "Parameters.member.1.ParameterValue", "artifacts", "Parameters.member.2.ParameterKey", "ArtifactKey",
                "Parameters.member.2.ParameterValue", "fn.zip", "Capabilities.member.1", "CAPABILITY_IAM");
        assertThat(cloud.awaitSettled(stackId)).as("%s", cloud.describe(stackId).get("StackStatusReason"))
                .isEqualTo("CREATE_COMPLETE");

        List<String> order = cloud.journal.created();
        assertThat(order).hasSize(19);
        for (String prefix : List.of("Eager", "Lazy")) {
            assertBefore(order, "Parameter", prefix + "Function");
            assertBefore(order, "FunctionRole", prefix + "Function");
            assertBefore(order, prefix + "Function", prefix + "LogGroup");
            assertBefore(order, prefix + "LogGroup", prefix + "Version");
            assertBefore(order, prefix + "Version", prefix + "Alias");
            assertBefore(order, prefix + "Alias", prefix + "Integration");
            assertBefore(order, "HttpApi", prefix + "Integration");
            assertBefore(order, prefix + "Integration", prefix + "Route");
            assertBefore(order, prefix + "Alias", prefix + "InvokePermission");
            // The API is deployed only with both routes and permissions in place, and the stage serves that.
            assertBefore(order, prefix + "Route", "ApiDeployment");
            assertBefore(order, prefix + "InvokePermission", "ApiDeployment");
        }
        assertBefore(order, "ApiDeployment", "DefaultStage");

        Map<String, Object> parameter = properties("AWS::SSM::Parameter", "Parameter");
        assertThat(parameter).containsEntry("Name", "/bench/value").containsEntry("Value", "hello from Parameter Store");
        String roleArn = cloud.provider("AWS::IAM::Role").live.values().iterator().next().attributes().get("Arn");
        assertThat(properties("AWS::IAM::Role", "FunctionRole").toString())
                .contains("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
                .contains("arn:aws:ssm:eu-west-1:123456789012:parameter/bench/value");
        Map<String, Object> eager = properties("AWS::Lambda::Function", "EagerFunction");
        assertThat(eager).containsEntry("Role", roleArn).containsEntry("Runtime", "java21")
                .containsEntry("MemorySize", "1024").containsEntry("Timeout", 15)
                .containsEntry("Code", Map.of("S3Bucket", "artifacts", "S3Key", "fn.zip"))
                .containsEntry("Environment", Map.of("Variables", Map.of("PARAMETER_NAME", "/bench/value")));
        String eagerName = ref("EagerFunction");
        assertThat(eagerName).startsWith("bench-EagerFunction-");
        assertThat(properties("AWS::Logs::LogGroup", "EagerLogGroup"))
                .containsEntry("LogGroupName", "/aws/lambda/" + eagerName).containsEntry("RetentionInDays", 1);
        assertThat(properties("AWS::Lambda::Alias", "EagerAlias")).containsEntry("FunctionName", eagerName)
                .containsEntry("FunctionVersion", "1").containsEntry("Name", "live")
                .containsEntry("ProvisionedConcurrencyConfig", Map.of("ProvisionedConcurrentExecutions", "20"));
        assertThat(properties("AWS::ApiGatewayV2::Integration", "LazyIntegration"))
                .containsEntry("ApiId", "api1234").containsEntry("IntegrationUri", LAMBDA_ARN + ref("LazyFunction") + ":live")
                .containsEntry("PayloadFormatVersion", "2.0");
        assertThat(properties("AWS::ApiGatewayV2::Route", "LazyRoute")).containsEntry("RouteKey", "GET /lazy")
                .containsEntry("Target", "integrations/int-LazyIntegration");
        assertThat(properties("AWS::ApiGatewayV2::Stage", "DefaultStage")).containsEntry("StageName", "$default")
                .containsEntry("AutoDeploy", false).containsEntry("DeploymentId", "deployment-ApiDeployment");
        assertThat(properties("AWS::Lambda::Permission", "EagerInvokePermission"))
                .containsEntry("FunctionName", LAMBDA_ARN + eagerName + ":live")
                .containsEntry("SourceArn", "arn:aws:execute-api:eu-west-1:123456789012:api1234/*/*/eager");

        assertThat(cloud.outputs(stackId)).as("by default only eager and lazy").containsExactly(
                Map.entry("ApiEndpoint", "http://127.0.0.1:4566/_api/api1234"),
                Map.entry("ParameterName", "/bench/value"),
                Map.entry("EagerFunctionName", eagerName),
                Map.entry("EagerAliasArn", LAMBDA_ARN + eagerName + ":live"),
                Map.entry("LazyFunctionName", ref("LazyFunction")),
                Map.entry("LazyAliasArn", LAMBDA_ARN + ref("LazyFunction") + ":live"));

        cloud.call("DeleteStack", "StackName", "bench");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
        assertThat(cloud.liveResources()).isEmpty();
        List<String> deleted = cloud.journal.deleted();
        assertThat(deleted).hasSize(19);
        assertBefore(deleted, "EagerInvokePermission", "EagerAlias");
        assertBefore(deleted, "EagerAlias", "EagerVersion");
        assertBefore(deleted, "EagerVersion", "EagerLogGroup");
        assertBefore(deleted, "EagerFunction", "FunctionRole");
        assertBefore(deleted, "EagerRoute", "HttpApi");
    }

    @Test
    void theDeployParametersSelectStrategiesAndTheNodeFunctionsUseTheNodeArtifactAndRuntime() {
        String stackId = cloud.create("bench", template, "Parameters.member.1.ParameterKey", "ArtifactBucket",
                "Parameters.member.1.ParameterValue", "artifacts", "Parameters.member.2.ParameterKey", "ArtifactKey",
                "Parameters.member.2.ParameterValue", "fn.zip", "Parameters.member.3.ParameterKey", "NodeArtifactKey",
                "Parameters.member.3.ParameterValue", "node.zip", "Parameters.member.4.ParameterKey", "DeployEager",
                "Parameters.member.4.ParameterValue", "false", "Parameters.member.5.ParameterKey", "DeployLazy",
                "Parameters.member.5.ParameterValue", "false", "Parameters.member.6.ParameterKey", "DeployEsm",
                "Parameters.member.6.ParameterValue", "true", "Parameters.member.7.ParameterKey", "DeployCjs",
                "Parameters.member.7.ParameterValue", "true", "Parameters.member.8.ParameterKey", "NodeRuntime",
                "Parameters.member.8.ParameterValue", "nodejs24.x", "Capabilities.member.1", "CAPABILITY_IAM");
        assertThat(cloud.awaitSettled(stackId)).as("%s", cloud.describe(stackId).get("StackStatusReason"))
                .isEqualTo("CREATE_COMPLETE");

        List<String> order = cloud.journal.created();
        assertThat(order).hasSize(19).noneMatch(id -> id.startsWith("Eager") || id.startsWith("Lazy")
                || id.startsWith("AsyncInit"));
        for (String strategy : List.of("esm", "cjs")) {
            String prefix = strategy.substring(0, 1).toUpperCase() + strategy.substring(1);
            assertBefore(order, prefix + "Route", "ApiDeployment");
            assertBefore(order, prefix + "InvokePermission", "ApiDeployment");
            assertThat(properties("AWS::Lambda::Function", prefix + "Function"))
                    .containsEntry("Runtime", "nodejs24.x").containsEntry("Handler", strategy + ".handler")
                    .containsEntry("Code", Map.of("S3Bucket", "artifacts", "S3Key", "node.zip"));
            assertThat(properties("AWS::ApiGatewayV2::Route", prefix + "Route"))
                    .containsEntry("RouteKey", "GET /" + strategy);
        }
        assertThat(cloud.outputs(stackId)).containsOnlyKeys("ApiEndpoint", "ParameterName", "EsmFunctionName",
                "EsmAliasArn", "CjsFunctionName", "CjsAliasArn");
    }

    @Test
    void needsCapabilityIamAndTheArtifactParameters() {
        assertThatThrownBy(() -> cloud.create("bench", template, "Parameters.member.1.ParameterKey", "ArtifactBucket",
                "Parameters.member.1.ParameterValue", "artifacts", "Parameters.member.2.ParameterKey", "ArtifactKey",
                "Parameters.member.2.ParameterValue", "fn.zip"))
                .hasMessage("Requires capabilities : [CAPABILITY_IAM]");
        assertThatThrownBy(() -> cloud.create("bench", template, "Capabilities.member.1", "CAPABILITY_IAM"))
                .hasMessage("Parameters: [ArtifactBucket, ArtifactKey] must have values");
        assertThatThrownBy(() -> cloud.create("bench", template, "Parameters.member.1.ParameterKey", "ArtifactBucket",
                "Parameters.member.1.ParameterValue", "artifacts", "Parameters.member.2.ParameterKey", "ArtifactKey",
                "Parameters.member.2.ParameterValue", "fn.zip", "Parameters.member.3.ParameterKey", "Runtime",
                "Parameters.member.3.ParameterValue", "java17", "Capabilities.member.1", "CAPABILITY_IAM"))
                .hasMessageContaining("Parameter 'Runtime' must be one of AllowedValues");
        assertThat(cloud.journal.entries).isEmpty();
    }

    @Test
    void validatesWithItsParametersAndDescription() {
        Map<String, Object> result = cloud.call("ValidateTemplate", "TemplateBody", template);
        assertThat(((List<?>) result.get("Parameters")).stream().map(member -> (String) ((Map<?, ?>) member).get("ParameterKey")))
                .containsExactly("ArtifactBucket", "ArtifactKey", "NodeArtifactKey", "ProvisionedConcurrency",
                        "MemorySize", "ParameterValue", "Runtime", "NodeRuntime", "DeployEager", "DeployLazy",
                        "DeployAsyncInit", "DeployEsm", "DeployCjs");
        assertThat((String) result.get("Description")).startsWith("lambda-init-bench:");
        assertThat(result).containsEntry("Capabilities", List.of("CAPABILITY_IAM"));
    }

    /** The two aliases' creations (provisioned-concurrency init on AWS) must overlap; this blocks until they do. */
    private void awaitOtherAlias() {
        try {
            aliasesTogether.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new ResourceFailedException("aliases were not created concurrently: " + e);
        }
    }

    private Map<String, Object> properties(String type, String logicalId) {
        return cloud.provider(type).requests.get(logicalId).properties();
    }

    private String ref(String logicalId) {
        return cloud.providers.values().stream().flatMap(provider -> provider.live.values().stream())
                .filter(resource -> resource.logicalId().equals(logicalId)).findFirst()
                .map(ProvisionedResource::ref).orElseGet(() -> cloud.journal.entries.toString());
    }

    private static void assertBefore(List<String> order, String first, String second) {
        assertThat(order.indexOf(first)).as("%s before %s in %s", first, second, order)
                .isNotNegative().isLessThan(order.indexOf(second));
    }
}
