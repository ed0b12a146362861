package dev.initbench.bench.target;

import dev.initbench.bench.config.TargetKind;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where a benchmark runs: the embedded local cloud or real AWS. The two differ only in endpoint and credentials,
 * so every SDK call the benchmark makes is the same for both and every local run exercises the AWS path.
 */
public interface Target extends AutoCloseable {

    TargetKind kind();

    Region region();

    AwsCredentialsProvider credentials();

    /** The endpoint every client is pointed at; empty on AWS (the SDK resolves each service's own). */
    Optional<URI> endpointOverride();

    /** One line naming the target for logs and reports. */
    String description();

    /**
     * True when everything deployed on the target ends with it (the in-process local cloud, whose own shutdown
     * hook stops it and its environments when the JVM ends); false for AWS, where a stack outlives this JVM.
     */
    boolean ephemeral();

    /**
     * Unreserved concurrency the account must keep beside provisioned concurrency: 100 on AWS, which refuses
     * provisioned concurrency that would leave less; none on the local cloud, whose one account-wide limit is sized
     * for its JVM environments.
     */
    int minimumUnreservedConcurrency();

    default CloudFormationClient cloudFormation() {
        return configure(CloudFormationClient.builder());
    }

    default S3Client s3() {
        return configure(S3Client.builder());
    }

    default LambdaClient lambda() {
        return configure(LambdaClient.builder());
    }

    default CloudWatchLogsClient logs() {
        return configure(CloudWatchLogsClient.builder());
    }

    default StsClient sts() {
        return configure(StsClient.builder());
    }

    /** IAM is global: the SDK resolves the partition's one endpoint from any region of it. */
    default IamClient iam() {
        return configure(IamClient.builder());
    }

    /** Applies region, credentials, endpoint and the URL-connection HTTP client to any SDK client builder. */
    default <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder) {
        builder.region(region()).credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder());
        endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Releases what the target started (the local cloud); idempotent. */
    @Override
    void close();
}
