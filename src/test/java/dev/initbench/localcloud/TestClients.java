package dev.initbench.localcloud;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Real AWS SDK v2 clients pointed at a started local cloud (no retries, so errors surface at once). */
public final class TestClients {

    private TestClients() {
    }

    public static SsmClient ssm(LocalCloud cloud) {
        return ssm(cloud, cloud.accessKeyId(), cloud.secretAccessKey());
    }

    public static SsmClient ssm(LocalCloud cloud, String accessKeyId, String secret) {
        return SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(credentials(accessKeyId, secret))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(noRetries()).build();
    }

    public static S3Client s3(LocalCloud cloud) {
        return s3(cloud, cloud.accessKeyId(), cloud.secretAccessKey());
    }

    public static S3Client s3(LocalCloud cloud, String accessKeyId, String secret) {
        return s3(cloud.endpoint(), cloud, accessKeyId, secret);
    }

    public static S3Client s3(URI endpoint, LocalCloud cloud, String accessKeyId, String secret) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(cloud.region()))
                .credentialsProvider(credentials(accessKeyId, secret))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(noRetries()).build();
    }

    public static CloudWatchLogsClient logs(LocalCloud cloud) {
        return logs(cloud, cloud.accessKeyId(), cloud.secretAccessKey());
    }

    public static CloudWatchLogsClient logs(LocalCloud cloud, String accessKeyId, String secret) {
        return CloudWatchLogsClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(credentials(accessKeyId, secret))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(noRetries()).build();
    }

    public static CloudFormationClient cloudFormation(LocalCloud cloud) {
        return cloudFormation(cloud, cloud.accessKeyId(), cloud.secretAccessKey());
    }

    public static CloudFormationClient cloudFormation(LocalCloud cloud, String accessKeyId, String secret) {
        return CloudFormationClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(credentials(accessKeyId, secret))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(noRetries()).build();
    }

    public static LambdaClient lambda(LocalCloud cloud) {
        return LambdaClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(credentials(cloud.accessKeyId(), cloud.secretAccessKey()))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(noRetries()).build();
    }

    private static StaticCredentialsProvider credentials(String accessKeyId, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
    }

    private static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder().retryStrategy(b -> b.maxAttempts(1)).build();
    }
}
