package dev.initbench.bench.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.deploy.BuildOutputs;
import dev.initbench.bench.deploy.RunId;
import dev.initbench.bench.target.LocalTarget;
import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.lambda.LambdaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The preflight against the local cloud: it passes for the account root and for a caller holding exactly
 * docs/aws/benchmark-role-policy.json (so the documented policy grants every action a run uses, the resource
 * handlers' included), and it refuses, naming the action or the numbers, when a permission or the account's
 * concurrency is short.
 */
class PreflightTest {

    private static final ScenarioSettings LOCAL = ScenarioSettingsLoader.load(Map.of());

    static String documentedPolicy() throws IOException {
        return Files.readString(Path.of("docs/aws/benchmark-role-policy.json")).replace("ACCOUNT_ID", "000000000000");
    }

    private static PreflightReport preflight(LocalCloud.Builder cloud, ScenarioSettings settings) {
        try (LocalTarget target = LocalTarget.start(cloud)) {
            return Preflight.run(target, settings, RunId.next(), BuildOutputs.templateBody());
        }
    }

    private static PreflightCheck check(PreflightReport report, String name) {
        return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void passesForTheLocalAccountRoot() {
        PreflightReport report = preflight(LocalCloud.builder(), LOCAL);

        assertThat(report.passed()).as(report.describe()).isTrue();
        assertThat(report.checks()).extracting(PreflightCheck::name)
                .containsExactly("identity", "region", "concurrency", "memory", "template", "permissions", "cost");
        assertThat(check(report, "identity").detail()).contains("arn:aws:iam::000000000000:root");
        assertThat(check(report, "concurrency").detail()).contains("1000 concurrent executions, 1000 unreserved")
                .contains("2 x 6 = 12").contains("up to 4 more on demand");
    }

    @Test
    void documentedRolePolicyGrantsEveryActionTheRunAndCloudFormationsHandlersUse() throws IOException {
        PreflightReport report = preflight(LocalCloud.builder().callerPolicy(documentedPolicy()), LOCAL);

        assertThat(check(report, "permissions").status()).as(report.describe()).isEqualTo(CheckStatus.PASS);
        assertThat(check(report, "identity").detail()).contains(":user/initbench-local-caller");
    }

    @Test
    void refusesNamingEachActionThePolicyLacks() throws IOException {
        String restricted = documentedPolicy().replace("\"logs:GetDataProtectionPolicy\",", "")
                .replace("\"lambda:GetProvisionedConcurrencyConfig\",", "");

        PreflightReport report = preflight(LocalCloud.builder().callerPolicy(restricted), LOCAL);

        PreflightCheck permissions = check(report, "permissions");
        assertThat(report.passed()).isFalse();
        assertThat(permissions.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(permissions.detail())
                .contains("lambda:GetProvisionedConcurrencyConfig on arn:aws:lambda:us-east-1:000000000000:function:")
                .contains("used by the benchmark").contains("CloudFormation for AWS::Lambda::Alias")
                .contains("logs:GetDataProtectionPolicy").contains("CloudFormation for AWS::Logs::LogGroup");
        assertThat(permissions.fix().orElseThrow()).contains("docs/aws/benchmark-role-policy.json");
        assertThat(report.describe()).contains("FAIL permissions");
    }

    @Test
    void refusesWithTheNumbersWhenTheAccountsConcurrencyIsShort() {
        PreflightReport report = preflight(LocalCloud.builder().lambdaSettings(
                LambdaSettings.builder().concurrencyLimit(10).build()), LOCAL);

        PreflightCheck concurrency = check(report, "concurrency");
        assertThat(concurrency.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(concurrency.detail()).contains("10 concurrent executions, 10 unreserved").contains("2 x 6 = 12");
        assertThat(concurrency.fix().orElseThrow()).contains("lower --provisioned-concurrency to 5 or less")
                .contains("L-B99A9384");
    }

    @Test
    void countsEveryDeployedFunction() {
        ScenarioSettings five = ScenarioSettingsLoader.load(Map.of("strategies", "eager,lazy,async-init,esm,cjs"));

        PreflightReport report = preflight(LocalCloud.builder().lambdaSettings(
                LambdaSettings.builder().concurrencyLimit(35).build()), five);

        PreflightCheck concurrency = check(report, "concurrency");
        assertThat(concurrency.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(concurrency.detail()).contains("5 x 6 = 30").contains("up to 10 more on demand")
                .contains("the burst would be throttled (30 + 10 > 35)");
        assertThat(concurrency.fix().orElseThrow()).contains("--burst-extra-arrivals");
    }

    @Test
    void refusesWhenTheBurstWouldBeThrottled() {
        PreflightReport report = preflight(LocalCloud.builder().lambdaSettings(
                LambdaSettings.builder().concurrencyLimit(14).build()), LOCAL);

        assertThat(check(report, "concurrency").detail()).contains("the burst would be throttled (12 + 4 > 14)");
    }
}
