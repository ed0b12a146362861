package dev.initbench.bench.target;

import dev.initbench.bench.config.TargetKind;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Real AWS: credentials from the default provider chain, the region the scenario names. */
public final class AwsTarget implements Target {

    private final Region region;
    private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();

    public AwsTarget(String region) {
        this.region = Region.of(region);
    }

    @Override
    public TargetKind kind() {
        return TargetKind.AWS;
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    @Override
    public Optional<URI> endpointOverride() {
        return Optional.empty();
    }

    @Override
    public String description() {
        return "AWS " + region.id() + " (default credential chain)";
    }

    @Override
    public boolean ephemeral() {
        return false;
    }

    @Override
    public void close() {
        credentials.close();
    }
}
