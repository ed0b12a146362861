package dev.initbench.bench.target;

import dev.initbench.bench.config.TargetKind;
import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.lambda.LambdaSettings;
import dev.initbench.localcloud.server.ServiceLatency;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The embedded local cloud, started in-process on an ephemeral loopback port and stopped by {@link #close()}. */
public final class LocalTarget implements Target {

    private final LocalCloud cloud;

    private LocalTarget(LocalCloud cloud) {
        this.cloud = cloud;
    }

    /** Starts a local cloud in the given region with the default Lambda settings. */
    public static LocalTarget start(String region) {
        return start(LocalCloud.builder().region(region));
    }

    /** Starts a local cloud built as given (a caller policy, Lambda settings). */
    public static LocalTarget start(LocalCloud.Builder cloud) {
        return new LocalTarget(cloud.start());
    }

    /**
     * Starts a local cloud whose account concurrency limit admits at least {@code concurrentExecutions} at once
     * (the local default is AWS's 1,000; a larger burst raises it), freezing idle environments or not.
     */
    public static LocalTarget start(String region, int concurrentExecutions, boolean freeze) {
        return start(region, concurrentExecutions, freeze, ServiceLatency.ASSUMED_AWS.perRequest(),
                ServiceLatency.ASSUMED_AWS.newConnection());
    }

    /**
     * As {@link #start(String, int, boolean)}, with the given model of AWS's network and service time (see
     * {@link ServiceLatency}): the least time to answer an environment's request, and what a new connection adds.
     */
    public static LocalTarget start(String region, int concurrentExecutions, boolean freeze,
                                    Duration serviceLatency, Duration connectionSetup) {
        int limit = Math.max(LambdaSettings.defaults().concurrencyLimit(), concurrentExecutions);
        return new LocalTarget(LocalCloud.builder().region(region)
                .lambdaSettings(LambdaSettings.builder().concurrencyLimit(limit).freezeIdleEnvironments(freeze).build())
                .serviceLatency(new ServiceLatency(serviceLatency, connectionSetup))
                .start());
    }

    @Override
    public TargetKind kind() {
        return TargetKind.LOCAL;
    }

    @Override
    public Region region() {
        return Region.of(cloud.region());
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey()));
    }

    @Override
    public Optional<URI> endpointOverride() {
        return Optional.of(cloud.endpoint());
    }

    @Override
    public String description() {
        return "local cloud at " + cloud.endpoint() + " (" + cloud.region() + ")";
    }

    /** The local limit counts JVM environments; it has no reserve. */
    @Override
    public int minimumUnreservedConcurrency() {
        return 0;
    }

    @Override
    public boolean ephemeral() {
        return true;
    }

    @Override
    public void close() {
        cloud.close();
    }
}
