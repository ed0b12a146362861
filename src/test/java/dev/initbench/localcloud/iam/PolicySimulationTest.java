package dev.initbench.localcloud.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloud;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAccountSettingsResponse;

/** SimulatePrincipalPolicy over the caller's recorded policy, and Lambda's GetAccountSettings. */
class PolicySimulationTest {

    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Stacks","Effect":"Allow","Action":["cloudformation:CreateStack"],
               "Resource":"arn:aws:cloudformation:*:000000000000:stack/initbench-*/*",
               "Condition":{"StringEquals":{"aws:RequestTag/initbench:project":"lambda-init-bench"}}},
              {"Effect":"Allow","Action":"lambda:Get*","Resource":"*"},
              {"Effect":"Deny","Action":"lambda:GetPolicy","Resource":"*"}]}""";

    private static IamClient iam(LocalCloud cloud) {
        return IamClient.builder().endpointOverride(cloud.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static Map<String, String> decisions(List<EvaluationResult> results) {
        return results.stream().collect(Collectors.toMap(EvaluationResult::evalActionName,
                EvaluationResult::evalDecisionAsString));
    }

    @Test
    void callerPolicyDecidesAllowImplicitAndExplicitDenyWithConditionsAndWildcards() {
        try (LocalCloud cloud = LocalCloud.builder().callerPolicy(POLICY).start(); IamClient iam = iam(cloud)) {
            String caller = "arn:aws:iam::000000000000:user/" + CallerIdentity.LOCAL_USER;
            var tagged = iam.simulatePrincipalPolicy(b -> b.policySourceArn(caller)
                    .actionNames("cloudformation:CreateStack", "LAMBDA:GetAlias", "lambda:GetPolicy", "s3:PutObject")
                    .resourceArns("arn:aws:cloudformation:us-east-1:000000000000:stack/initbench-1/abc")
                    .contextEntries(e -> e.contextKeyName("aws:RequestTag/initbench:project")
                            .contextKeyType(ContextKeyTypeEnum.STRING).contextKeyValues("lambda-init-bench")));
            assertThat(decisions(tagged.evaluationResults())).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "cloudformation:CreateStack", "allowed", "LAMBDA:GetAlias", "allowed",
                    "lambda:GetPolicy", "explicitDeny", "s3:PutObject", "implicitDeny"));

            var untagged = iam.simulatePrincipalPolicy(b -> b.policySourceArn(caller)
                    .actionNames("cloudformation:CreateStack")
                    .resourceArns("arn:aws:cloudformation:us-east-1:000000000000:stack/initbench-1/abc"));
            assertThat(untagged.evaluationResults().get(0).evalDecisionAsString()).isEqualTo("implicitDeny");
            assertThat(untagged.evaluationResults().get(0).missingContextValues())
                    .containsExactly("aws:RequestTag/initbench:project");
        }
    }

    @Test
    void accountRootIsAllowedEverythingAndAccountSettingsReportTheLocalLimit() {
        try (LocalCloud cloud = LocalCloud.builder()
                .lambdaSettings(dev.initbench.localcloud.lambda.LambdaSettings.builder().concurrencyLimit(17).build())
                .start(); IamClient iam = iam(cloud);
             LambdaClient lambda = LambdaClient.builder().endpointOverride(cloud.endpoint())
                     .region(Region.of(cloud.region())).credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            var result = iam.simulatePrincipalPolicy(b -> b.policySourceArn("arn:aws:iam::000000000000:root")
                    .actionNames("iam:CreateRole"));
            assertThat(result.evaluationResults().get(0).evalDecisionAsString()).isEqualTo("allowed");

            GetAccountSettingsResponse settings = lambda.getAccountSettings();
            assertThat(settings.accountLimit().concurrentExecutions()).isEqualTo(17);
            assertThat(settings.accountLimit().unreservedConcurrentExecutions()).isEqualTo(17);
            assertThat(settings.accountUsage().functionCount()).isZero();
        }
    }
}
