package dev.initbench.bench.target;

import java.util.Optional;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Run in a JVM of its own with a crafted environment: resolves the region and credentials exactly as an AWS run
 * does ({@link AwsTarget#of} with no region) and prints the region and the caller's ARN, or the failure.
 */
public final class CredentialProbeMain {

    private CredentialProbeMain() {
    }

    public static void main(String[] args) {
        try (AwsTarget target = AwsTarget.of(Optional.empty()); StsClient sts = target.configure(StsClient.builder())) {
            System.out.println("region=" + target.region().id());
            System.out.println("arn=" + sts.getCallerIdentity().arn());
        } catch (RuntimeException e) {
            System.out.println("failed=" + e);
            System.exit(1);
        }
    }
}
