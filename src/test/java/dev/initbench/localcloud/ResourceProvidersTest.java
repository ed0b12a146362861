package dev.initbench.localcloud;

import dev.initbench.localcloud.context.CloudContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;
import dev.initbench.localcloud.resource.StackInfo;
import dev.initbench.localcloud.iam.IamService;
import dev.initbench.localcloud.iam.RoleStore;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.logs.LogsService;
import dev.initbench.localcloud.ssm.ParameterStore;
import dev.initbench.localcloud.ssm.SsmService;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CloudFormation resource providers of SSM, Logs and IAM: Ref, GetAtt, generated names, failures, delete. */
class ResourceProvidersTest {

    private static final CloudContext CONTEXT = new CloudContext(URI.create("http://127.0.0.1:1"), "us-east-1",
            "000000000000", "AKID", "secret");
    private static final StackInfo STACK = new StackInfo("bench", "arn:aws:cloudformation:us-east-1:000000000000:"
            + "stack/bench/1", "us-east-1", "000000000000");

    private final ParameterStore parameters = new ParameterStore(Optional.empty());
    private final ResourceProvider ssmParameter = only(new SsmService(CONTEXT, parameters).resourceProviders());
    private final LogStore logStore = new LogStore();
    private final ResourceProvider logGroup = only(new LogsService(CONTEXT, logStore).resourceProviders());
    private final RoleStore roles = new RoleStore(Optional.empty());
    private final ResourceProvider role = only(new IamService(CONTEXT, roles).resourceProviders());

    private static ResourceProvider only(List<ResourceProvider> providers) {
        assertThat(providers).hasSize(1);
        return providers.get(0);
    }

    private static ResourceRequest request(String logicalId, Map<String, Object> properties) {
        return new ResourceRequest(logicalId, properties, STACK);
    }

    @Test
    void ssmParameterRefIsItsNameAndGetAttGivesTypeAndValue() {
        ProvisionedResource created = ssmParameter.create(request("Parameter", Map.of("Name", "/bench/value",
                "Type", "String", "Value", "hello")));

        assertThat(ssmParameter.resourceType()).isEqualTo("AWS::SSM::Parameter");
        assertThat(ssmParameter.requiredProperties()).containsExactlyInAnyOrder("Type", "Value");
        assertThat(created.ref()).isEqualTo("/bench/value");
        assertThat(created.physicalId()).isEqualTo("/bench/value");
        assertThat(created.attributes()).containsEntry("Type", "String").containsEntry("Value", "hello");
        assertThat(ssmParameter.attributeNames()).hasValue(created.attributes().keySet());
        assertThat(parameters.latest("/bench/value")).get().extracting(ParameterStore.ParameterVersion::value)
                .isEqualTo("hello");

        ssmParameter.delete(created);
        ssmParameter.delete(created);
        assertThat(parameters.latest("/bench/value")).isEmpty();
    }

    @Test
    void ssmParameterWithoutNameGetsAGeneratedOneAndStringListValuesAreJoined() {
        ProvisionedResource created = ssmParameter.create(request("Hosts", Map.of("Type", "StringList",
                "Value", List.of("a", "b"))));

        assertThat(created.ref()).matches("CFN-Hosts-[A-Za-z0-9]{12}");
        assertThat(created.attributes()).containsEntry("Value", "a,b");
    }

    @Test
    void ssmParameterFailuresNameTheCause() {
        ssmParameter.create(request("First", Map.of("Name", "/taken", "Type", "String", "Value", "1")));

        assertThatThrownBy(() -> ssmParameter.create(request("Second", Map.of("Name", "/taken", "Type", "String",
                "Value", "2")))).isInstanceOf(ResourceFailedException.class).hasMessageContaining("/taken")
                .hasMessageContaining("ParameterAlreadyExists");
        assertThatThrownBy(() -> ssmParameter.create(request("Secret", Map.of("Type", "SecureString",
                "Value", "x")))).isInstanceOf(ResourceFailedException.class).hasMessageContaining("SecureString");
    }

    @Test
    void logGroupRefIsItsNameAndArnEndsWithWildcard() {
        ProvisionedResource created = logGroup.create(request("EagerLogGroup", Map.of("LogGroupName",
                "/aws/lambda/eager", "RetentionInDays", 1)));

        assertThat(created.ref()).isEqualTo("/aws/lambda/eager");
        assertThat(created.attributes()).containsEntry("Arn",
                "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/eager:*");
        assertThat(logGroup.attributeNames()).hasValue(created.attributes().keySet());
        assertThat(logStore.hasGroup("/aws/lambda/eager")).isTrue();
        assertThatThrownBy(() -> logGroup.create(request("Again", Map.of("LogGroupName", "/aws/lambda/eager"))))
                .isInstanceOf(ResourceFailedException.class).hasMessageContaining("already exists");

        logGroup.delete(created);
        assertThat(logStore.hasGroup("/aws/lambda/eager")).isFalse();
    }

    @Test
    void roleFromTheTemplatesShapeRecordsPoliciesAndGivesArnAndRoleId() {
        Map<String, Object> trust = Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Allow",
                "Principal", Map.of("Service", "lambda.amazonaws.com"), "Action", "sts:AssumeRole")));
        ProvisionedResource created = role.create(request("FunctionRole", Map.of(
                "AssumeRolePolicyDocument", trust,
                "ManagedPolicyArns", List.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                "Policies", List.of(Map.of("PolicyName", "read-benchmark-parameter", "PolicyDocument",
                        Map.of("Version", "2012-10-17", "Statement", List.of()))))));

        assertThat(created.ref()).startsWith("bench-FunctionRole-").hasSizeLessThanOrEqualTo(64);
        assertThat(created.attributes().get("Arn")).isEqualTo("arn:aws:iam::000000000000:role/" + created.ref());
        assertThat(created.attributes().get("RoleId")).matches("AROA[A-Z2-7]{17}");
        assertThat(role.attributeNames()).hasValue(created.attributes().keySet());
        RoleStore.Role stored = roles.get(created.ref()).orElseThrow();
        assertThat(stored.assumeRolePolicyDocument()).contains("\"lambda.amazonaws.com\"");
        assertThat(stored.inlinePolicies()).containsOnlyKeys("read-benchmark-parameter");
        assertThat(stored.attachedPolicyArns()).hasSize(1);

        role.delete(created);
        assertThat(roles.get(created.ref())).isEmpty();
    }

    @Test
    void updatesInPlaceApplyOnlyWhatTheSchemaAllowsAndKeepThePhysicalResource() {
        assertThat(ssmParameter.createOnlyProperties()).hasValue(java.util.Set.of("Name"));
        Map<String, Object> before = Map.of("Name", "/bench/updated", "Type", "String", "Value", "v1");
        ProvisionedResource parameter = ssmParameter.create(request("Parameter", before));
        Map<String, Object> after = Map.of("Name", "/bench/updated", "Type", "String", "Value", "v2");
        ProvisionedResource updated = ssmParameter.update(new ResourceUpdate(parameter, before,
                request("Parameter", after)));
        assertThat(updated.physicalId()).isEqualTo("/bench/updated");
        assertThat(updated.attributes()).containsEntry("Value", "v2");
        assertThat(parameters.latest("/bench/updated")).get().satisfies(version -> {
            assertThat(version.value()).isEqualTo("v2");
            assertThat(version.version()).isEqualTo(2);
        });

        assertThat(role.createOnlyProperties()).hasValue(java.util.Set.of("RoleName", "Path"));
        Map<String, Object> trust = Map.of("Version", "2012-10-17", "Statement", List.of());
        Map<String, Object> first = Map.of("AssumeRolePolicyDocument", trust,
                "ManagedPolicyArns", List.of("arn:aws:iam::aws:policy/A"),
                "Policies", List.of(Map.of("PolicyName", "old", "PolicyDocument", trust)));
        ProvisionedResource created = role.create(request("Role", first));
        Map<String, Object> second = Map.of("AssumeRolePolicyDocument", Map.of("Version", "2012-10-17"),
                "Description", "now described", "ManagedPolicyArns", List.of("arn:aws:iam::aws:policy/B"),
                "Policies", List.of(Map.of("PolicyName", "new", "PolicyDocument", trust)));
        role.update(new ResourceUpdate(created, first, request("Role", second)));
        RoleStore.Role stored = roles.get(created.ref()).orElseThrow();
        assertThat(stored.roleId()).isEqualTo(created.attributes().get("RoleId"));
        assertThat(stored.description()).isEqualTo("now described");
        assertThat(stored.assumeRolePolicyDocument()).doesNotContain("Statement");
        assertThat(stored.inlinePolicies()).containsOnlyKeys("new");
        assertThat(stored.attachedPolicyArns()).containsExactly("arn:aws:iam::aws:policy/B");
    }

    @Test
    void roleThatFailsHalfwayLeavesNothingBehind() {
        assertThatThrownBy(() -> role.create(request("BadRole", Map.of("RoleName", "half",
                "AssumeRolePolicyDocument", Map.of("Version", "2012-10-17"),
                "ManagedPolicyArns", List.of("not-an-arn")))))
                .isInstanceOf(ResourceFailedException.class).hasMessageContaining("not-an-arn");

        assertThat(roles.get("half")).isEmpty();
    }
}
