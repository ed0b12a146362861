package dev.initbench.bench.target;

import dev.initbench.bench.config.TargetKind;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Real AWS: credentials from the SDK's default provider chain (environment, web-identity token file, profiles
 * including {@code role_arn}/{@code source_profile}, {@code credential_process} and SSO, container and instance
 * roles: the {@code sts}, {@code sso} and {@code ssooidc} modules on the class path make the profile kinds that
 * need them work), and the region given, else the SDK's region chain ({@code aws.region}, {@code AWS_REGION}, the
 * profile's {@code region}, instance metadata).
 */
public final class AwsTarget implements Target {

    /** Where the region came from, so the run can say it before it creates anything. */
    public enum RegionSource {
        /** {@code --region} or {@code bench.region}. */
        CONFIGURED("--region / bench.region"),
        /** The SDK's chain: {@code AWS_REGION}, the profile, instance metadata. */
        SDK_CHAIN("the SDK's region chain: AWS_REGION, the profile's region or instance metadata");

        private final String description;

        RegionSource(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Region region;
    private final RegionSource regionSource;
    private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();

    private AwsTarget(Region region, RegionSource regionSource) {
        this.region = region;
        this.regionSource = regionSource;
    }

    /**
     * @param configuredRegion the region the user named; empty: the SDK's region chain decides
     * @throws IllegalArgumentException when no region is configured and the chain finds none, naming the fixes
     */
    public static AwsTarget of(Optional<String> configuredRegion) {
        if (configuredRegion.isPresent()) {
            return new AwsTarget(Region.of(configuredRegion.get()), RegionSource.CONFIGURED);
        }
        try {
            return new AwsTarget(DefaultAwsRegionProviderChain.builder().build().getRegion(), RegionSource.SDK_CHAIN);
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no AWS region: pass --region (or -Dbench.region), set AWS_REGION, or"
                    + " give the profile a region (aws configure set region REGION)", e);
        }
    }

    public RegionSource regionSource() {
        return regionSource;
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
        return "AWS " + region.id() + " (region from " + regionSource.description() + "; default credential chain)";
    }

    /** AWS Lambda requires 100 unreserved concurrent executions beside provisioned concurrency. */
    @Override
    public int minimumUnreservedConcurrency() {
        return 100;
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
