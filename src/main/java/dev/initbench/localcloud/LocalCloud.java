package dev.initbench.localcloud;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.credentials.CredentialRegistry;

import dev.initbench.localcloud.apigateway.HttpApiService;
import dev.initbench.localcloud.cloudformation.CloudFormationService;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.lambda.LambdaService;
import dev.initbench.localcloud.lambda.LambdaSettings;
import dev.initbench.localcloud.iam.CallerIdentity;
import dev.initbench.localcloud.iam.IamService;
import dev.initbench.localcloud.iam.RoleStore;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.logs.LogsService;
import dev.initbench.localcloud.s3.ObjectStore;
import dev.initbench.localcloud.s3.S3Service;
import dev.initbench.localcloud.server.LocalEndpoint;
import dev.initbench.localcloud.server.ServiceLatency;
import dev.initbench.localcloud.server.ServiceRegistry;
import dev.initbench.localcloud.ssm.ParameterStore;
import dev.initbench.localcloud.ssm.SsmService;
import dev.initbench.localcloud.sts.StsService;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded local cloud: one loopback endpoint speaking the AWS wire protocols of CloudFormation, SSM, S3,
 * IAM, Lambda and CloudWatch Logs, plus the HTTP API front doors and execution environments it starts.
 * The only entry point the benchmark uses; everything else it does goes through AWS SDK clients.
 *
 * <pre>{@code
 * try (LocalCloud cloud = LocalCloud.builder().start()) {
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

    private static final System.Logger LOG = System.getLogger(LocalCloud.class.getName());
    /** How long after a change an AutoDeploy stage of an HTTP API serves it (AWS: asynchronous, unspecified). */
    public static final java.time.Duration AUTO_DEPLOY_DELAY = java.time.Duration.ofSeconds(2);

    private final CloudContext context;
    private final LocalEndpoint endpoint;
    /** Services holding processes, threads or files, closed in reverse order of creation. */
    private final List<AutoCloseable> services;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalCloud(CloudContext context, LocalEndpoint endpoint, List<AutoCloseable> services) {
        this.context = context;
        this.endpoint = endpoint;
        this.services = services;
        this.shutdownHook = new Thread(this::close, "localcloud-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
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

    /**
     * The environment variables that point the AWS CLI or any AWS SDK (SDK for Java v2 from 2.28.1) at this cloud,
     * in the order to print them: {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
     * {@code AWS_REGION} and {@code AWS_DEFAULT_REGION}.
     */
    public java.util.Map<String, String> environment() {
        java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL", endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", secretAccessKey());
        environment.put("AWS_REGION", region());
        environment.put("AWS_DEFAULT_REGION", region());
        return environment;
    }

    /** Stops every execution environment, front door and the endpoint; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        endpoint.close();
        closeAll(services);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and this is the hook running: nothing to remove.
        }
    }

    private static void closeAll(List<AutoCloseable> services) {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "local cloud: closing " + services.get(i) + " failed", e);
            }
        }
    }

    /**
     * Creates every service and registers it under its SigV4 signing name, collecting the CloudFormation resource
     * providers each one ships. Services that hold resources go into {@code closeables}.
     */
    private static ServiceRegistry createServices(CloudContext context, CredentialRegistry credentials,
                                                  Optional<Path> dataDirectory, LambdaSettings lambdaSettings,
                                                  Optional<String> callerPolicy,
                                                  List<AutoCloseable> closeables) {
        LogStore logStore = new LogStore();
        S3Service s3 = new S3Service(context, new ObjectStore(dataDirectory));
        SsmService ssm = new SsmService(context, new ParameterStore(dataDirectory));
        LogsService logs = new LogsService(context, logStore);
        CallerIdentity caller = callerPolicy.map(p -> CallerIdentity.user(context.accountId(), p))
                .orElse(CallerIdentity.root(context.accountId()));
        RoleStore roles = new RoleStore(dataDirectory);
        IamService iam = new IamService(context, roles, caller);
        StsService sts = new StsService(context, caller, name -> roles.get(name).isPresent());

        LambdaService lambda = new LambdaService(context, credentials, s3, logStore, lambdaSettings);
        closeables.add(lambda);
        // AWS deploys AutoDeploy stages asynchronously; the delay makes a template that relies on it race here too.
        HttpApiService httpApis = new HttpApiService(context, lambda, AUTO_DEPLOY_DELAY);
        closeables.add(httpApis);

        List<ResourceProvider> resourceProviders = new ArrayList<>();
        resourceProviders.addAll(ssm.resourceProviders());
        resourceProviders.addAll(logs.resourceProviders());
        resourceProviders.addAll(iam.resourceProviders());
        resourceProviders.addAll(lambda.resourceProviders());
        resourceProviders.addAll(httpApis.resourceProviders());
        // Closed after Lambda and the HTTP APIs were added, so it is closed before them: no stack work runs on
        // while the services it drives shut down.
        CloudFormationService cloudFormation = new CloudFormationService(context, resourceProviders, s3, dataDirectory);
        closeables.add(cloudFormation);

        return new ServiceRegistry()
                .restXml("s3", s3)
                .json("ssm", ssm)
                .json("logs", logs)
                .query("iam", iam)
                .restJson("lambda", lambda.controlPlane())
                .query("cloudformation", cloudFormation)
                .query("sts", sts)
                .unsignedQueryActions("sts", java.util.Set.of("AssumeRoleWithWebIdentity"));
    }

    /** Settings of a local cloud; {@link #start()} binds the endpoint and returns the running cloud. */
    public static final class Builder {
        private int port;
        private String region = DEFAULT_REGION;
        private String accountId = DEFAULT_ACCOUNT_ID;
        private String accessKeyId = DEFAULT_ACCESS_KEY_ID;
        private String secretAccessKey = DEFAULT_SECRET_ACCESS_KEY;
        private Path dataDirectory;
        private LambdaSettings lambdaSettings = LambdaSettings.defaults();
        private String callerPolicy;
        private ServiceLatency serviceLatency = ServiceLatency.ASSUMED_AWS;

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

        /** How execution environments are run, chosen and limited (default {@link LambdaSettings#defaults()}). */
        public Builder lambdaSettings(LambdaSettings lambdaSettings) {
            this.lambdaSettings = Objects.requireNonNull(lambdaSettings, "lambdaSettings");
            return this;
        }

        /**
         * Makes the caller (whoever signs with the cloud's key) an IAM user with this one inline policy, which
         * IAM's policy simulator evaluates; by default the caller is the account root, allowed everything. Nothing
         * else enforces it.
         */
        public Builder callerPolicy(String policyDocument) {
            this.callerPolicy = Objects.requireNonNull(policyDocument, "policyDocument");
            return this;
        }

        /**
         * Whether execution environments are frozen while they have no pending invocation, as on Lambda (default
         * {@code true}); changes only that of the Lambda settings given so far (see
         * {@link LambdaSettings#freezeIdleEnvironments()}).
         */
        public Builder freezeIdleEnvironments(boolean freeze) {
            this.lambdaSettings = lambdaSettings.toBuilder().freezeIdleEnvironments(freeze).build();
            return this;
        }

        /**
         * What the endpoint adds to every execution environment's call, standing in for the HTTPS round trip and
         * service time of AWS (default {@link ServiceLatency#ASSUMED_AWS}, an assumption; {@link ServiceLatency#NONE}
         * answers at once). The caller's own key is never delayed.
         */
        public Builder serviceLatency(ServiceLatency serviceLatency) {
            this.serviceLatency = Objects.requireNonNull(serviceLatency, "serviceLatency");
            return this;
        }

        /**
         * Binds the endpoint on 127.0.0.1, restores state from the data folder (if any) and serves every service.
         * The cloud closes itself on JVM shutdown if it was not closed before.
         */
        public LocalCloud start() {
            LocalEndpoint endpoint = LocalEndpoint.bind(port);
            CloudContext context = new CloudContext(endpoint.uri(), region, accountId, accessKeyId, secretAccessKey);
            // One registry: the endpoint verifies the session keys the Lambda service issues to its environments.
            CredentialRegistry credentials = new CredentialRegistry(accessKeyId, secretAccessKey);
            List<AutoCloseable> closeables = new ArrayList<>();
            try {
                ServiceRegistry services = createServices(context, credentials, Optional.ofNullable(dataDirectory),
                        lambdaSettings, Optional.ofNullable(callerPolicy), closeables);
                endpoint.serve(services, credentials, serviceLatency);
                return new LocalCloud(context, endpoint, closeables);
            } catch (RuntimeException e) {
                endpoint.close();
                closeAll(closeables);
                throw e;
            }
        }
    }
}
