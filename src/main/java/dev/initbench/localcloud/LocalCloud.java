package dev.initbench.localcloud;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The embedded local cloud: one loopback endpoint speaking the AWS wire protocols of CloudFormation, SSM, S3,
 * IAM, Lambda and CloudWatch Logs, plus the HTTP API front doors and execution environments it starts.
 * The only entry point the benchmark uses; everything else it does goes through AWS SDK clients.
 *
 * <pre>{@code
 * try (LocalCloud cloud = LocalCloud.builder().build().start()) {
 *     CloudFormationClient cfn = CloudFormationClient.builder()
 *             .endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
 *             .credentialsProvider(StaticCredentialsProvider.create(
 *                     AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
 *             .build();
 * }
 * }</pre>
 */
public final class LocalCloud implements AutoCloseable {

    /** Default access key id the endpoint accepts. */
    public static final String DEFAULT_ACCESS_KEY_ID = "AKIAINITBENCHLOCAL01";
    /** Default secret access key the endpoint verifies signatures with. */
    public static final String DEFAULT_SECRET_ACCESS_KEY = "initbench-local-secret";
    /** Default region. */
    public static final String DEFAULT_REGION = "us-east-1";
    /** Default account id in ARNs. */
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    private final Builder settings;
    private final CloudContext context;

    private LocalCloud(Builder settings, CloudContext context) {
        this.settings = settings;
        this.context = context;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loopback endpoint, e.g. {@code http://127.0.0.1:43123}. */
    public URI endpoint() {
        return context.endpoint();
    }

    public String region() {
        return context.region();
    }

    public String accountId() {
        return context.accountId();
    }

    public String accessKeyId() {
        return context.accessKeyId();
    }

    public String secretAccessKey() {
        return context.secretAccessKey();
    }

    /** Stops every execution environment, front door and the endpoint; idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("LocalCloud.close is implemented by the local cloud issue");
    }

    /** Settings of a local cloud; {@link #start()} binds the endpoint and returns the running cloud. */
    public static final class Builder {
        private int port;
        private String region = DEFAULT_REGION;
        private String accountId = DEFAULT_ACCOUNT_ID;
        private String accessKeyId = DEFAULT_ACCESS_KEY_ID;
        private String secretAccessKey = DEFAULT_SECRET_ACCESS_KEY;
        private Path dataDirectory;

        private Builder() {
        }

        /** Port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId");
            return this;
        }

        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
            this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** Where state is kept across restarts; none (the default) keeps everything in memory. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public LocalCloud start() {
            throw new UnsupportedOperationException("LocalCloud.start is implemented by the local cloud issue");
        }
    }
}
