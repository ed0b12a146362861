package dev.initbench.localcloud.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.LocalCloud;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stand-in STS through the SDK's own STS client, signed (GetCallerIdentity, AssumeRole) and unsigned. */
class StsServiceTest {

    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().start();
        try (IamClient iam = IamClient.builder().endpointOverride(cloud.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            iam.createRole(b -> b.roleName("initbench-deployer").path("/ops/").assumeRolePolicyDocument(TRUST));
        }
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static StsClient sts(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return StsClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StsClient signedSts() {
        return sts(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(),
                cloud.secretAccessKey())));
    }

    @Test
    void callerIsTheAccountRootByDefault() {
        try (StsClient sts = signedSts()) {
            var identity = sts.getCallerIdentity();
            assertThat(identity.account()).isEqualTo("000000000000");
            assertThat(identity.arn()).isEqualTo("arn:aws:iam::000000000000:root");
        }
    }

    @Test
    void assumedRoleSessionIsItsOwnCaller() {
        Credentials credentials;
        try (StsClient sts = signedSts()) {
            AssumeRoleResponse assumed = sts.assumeRole(b -> b
                    .roleArn("arn:aws:iam::000000000000:role/ops/initbench-deployer").roleSessionName("bench"));
            credentials = assumed.credentials();
            assertThat(assumed.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::000000000000:assumed-role/initbench-deployer/bench");
            assertThat(credentials.expiration()).isAfter(java.time.Instant.now());
        }
        try (StsClient session = sts(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))) {
            assertThat(session.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::000000000000:assumed-role/initbench-deployer/bench");
        }
    }

    @Test
    void unknownRoleIsAccessDenied() {
        try (StsClient sts = signedSts()) {
            assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("arn:aws:iam::000000000000:role/nope")
                    .roleSessionName("bench")))
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("AccessDenied"));
        }
    }

    @Test
    void webIdentityIsServedUnsignedAsTheSdkSendsIt() {
        try (StsClient sts = sts(AnonymousCredentialsProvider.create())) {
            AssumeRoleWithWebIdentityResponse assumed = sts.assumeRoleWithWebIdentity(b -> b
                    .roleArn("arn:aws:iam::000000000000:role/ops/initbench-deployer").roleSessionName("gha")
                    .webIdentityToken("header.payload.signature"));
            assertThat(assumed.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::000000000000:assumed-role/initbench-deployer/gha");
            assertThat(assumed.credentials().sessionToken()).startsWith("initbench-session-");
        }
    }

    @Test
    void otherUnsignedRequestsAreStillRefused() {
        try (StsClient sts = sts(AnonymousCredentialsProvider.create())) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(StsException.class);
        }
    }
}
