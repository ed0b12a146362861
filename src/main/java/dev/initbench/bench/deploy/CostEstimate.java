package dev.initbench.bench.deploy;

import dev.initbench.bench.config.ScenarioSettings;
import java.util.Locale;

/**
 * A rough cost of one AWS run, dominated by provisioned concurrency, printed before deploying so nobody is
 * surprised. Prices are Lambda's and API Gateway's public us-east-1 x86 list prices (see README "Cost on AWS");
 * other regions and arm64 differ by a few percent to tens of percent.
 *
 * <pre>
 * PC cost       = functions x PC x memory GB x seconds PC is configured (in whole 5-minute blocks) x PC price per GB-s
 *                 where the seconds are allocation + load + log wait + deletion ({@link ProvisionedTime})
 * duration cost = requests x average duration s x memory GB x PC duration price per GB-s
 * request cost  = requests x (Lambda request price + HTTP API request price)
 * </pre>
 */
public record CostEstimate(int functions, int provisionedConcurrency, double memoryGb,
                           ProvisionedTime provisionedTime, long requests, double averageDurationSeconds) {

    /** USD per GB-second of provisioned concurrency configured (x86, us-east-1). */
    public static final double PC_PER_GB_SECOND = 0.0000041667;
    /** USD per GB-second of duration on provisioned concurrency (x86, us-east-1). */
    public static final double PC_DURATION_PER_GB_SECOND = 0.0000097222;
    /** USD per Lambda request. */
    public static final double LAMBDA_PER_REQUEST = 0.20 / 1_000_000;
    /** USD per HTTP API request (first 300 million a month). */
    public static final double HTTP_API_PER_REQUEST = 1.00 / 1_000_000;

    /** The estimate for a scenario; duration per request is taken as 100 ms, a generous figure for these functions. */
    public static CostEstimate of(ScenarioSettings settings) {
        return of(settings, ProvisionedTime.awsEstimate(settings));
    }

    /** The estimate with the provisioned time a run measured (or assumed). */
    public static CostEstimate of(ScenarioSettings settings, ProvisionedTime provisionedTime) {
        int functions = settings.strategies().size();
        long requests = functions * settings.allPhases().stream().mapToLong(p -> p.arrivals()).sum();
        return new CostEstimate(functions, settings.provisionedConcurrency(), settings.memorySize() / 1024.0,
                provisionedTime, requests, 0.1);
    }

    /** PC is billed in whole 5-minute blocks. */
    public long billedProvisionedSeconds() {
        return provisionedTime.billedSeconds();
    }

    public double provisionedConcurrencyUsd() {
        return functions * provisionedConcurrency * memoryGb * billedProvisionedSeconds() * PC_PER_GB_SECOND;
    }

    public double durationUsd() {
        return requests * averageDurationSeconds * memoryGb * PC_DURATION_PER_GB_SECOND;
    }

    public double requestsUsd() {
        return requests * (LAMBDA_PER_REQUEST + HTTP_API_PER_REQUEST);
    }

    public double totalUsd() {
        return provisionedConcurrencyUsd() + durationUsd() + requestsUsd();
    }

    /** The estimate with its inputs, for the console. */
    public String describe() {
        return String.format(Locale.ROOT,
                "estimated cost of this run: about $%.2f%n"
                        + "  provisioned concurrency: %d functions x %d environments x %.3f GB x %d s x $%.10f/GB-s = $%.4f%n"
                        + "  duration on PC:          %d requests x %.2f s x %.3f GB x $%.10f/GB-s = $%.4f%n"
                        + "  requests:                %d x ($0.20 Lambda + $1.00 HTTP API per million) = $%.4f%n"
                        + "  PC time: %s%n"
                        + "  (us-east-1 x86 list prices, docs/aws/COSTS.md; logs and S3 cost cents)",
                totalUsd(), functions, provisionedConcurrency, memoryGb, billedProvisionedSeconds(), PC_PER_GB_SECOND,
                provisionedConcurrencyUsd(), requests, averageDurationSeconds, memoryGb, PC_DURATION_PER_GB_SECOND,
                durationUsd(), requests, requestsUsd(), provisionedTime.describe());
    }
}
