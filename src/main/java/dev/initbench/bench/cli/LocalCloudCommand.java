package dev.initbench.bench.cli;

import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.lambda.LambdaSettings;
import dev.initbench.localcloud.server.ServiceLatency;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves the local cloud in the foreground, so any AWS SDK or the AWS CLI can be pointed at it. */
@Command(name = "local-cloud", mixinStandardHelpOptions = true,
        description = {"Serves the embedded local cloud on loopback until stopped (Ctrl-C).",
                "Prints the endpoint URL and credentials to point the AWS CLI or any AWS SDK at it."})
public final class LocalCloudCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "4566",
            description = "Port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--region", defaultValue = LocalCloud.DEFAULT_REGION,
            description = "Region in ARNs and signatures (default: ${DEFAULT-VALUE}).")
    private String region;

    @Option(names = "--access-key-id", defaultValue = LocalCloud.DEFAULT_ACCESS_KEY_ID,
            description = "Access key id requests must be signed with (default: ${DEFAULT-VALUE}).")
    private String accessKeyId;

    @Option(names = "--secret-access-key", defaultValue = LocalCloud.DEFAULT_SECRET_ACCESS_KEY,
            description = "Secret requests must be signed with (default: ${DEFAULT-VALUE}).")
    private String secretAccessKey;

    @Option(names = "--data-dir",
            description = "Keep stacks, objects and parameters in this folder across restarts (default: in memory).")
    private Path dataDirectory;

    @Option(names = "--freeze", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = {"Freeze execution environments while they have no pending invocation, as Lambda does, "
                    + "holding the local cloud's answers to them until they thaw (default: ${DEFAULT-VALUE}).",
                    "false keeps idle environments running, so work started during init goes on between "
                    + "invocations."})
    private boolean freeze;

    @Option(names = "--service-latency-ms", defaultValue = "10", paramLabel = "MS",
            description = {"Answer each request an execution environment signs no sooner than this after it "
                    + "arrived, standing in for the HTTPS round trip and service time on AWS (an assumption; "
                    + "default: ${DEFAULT-VALUE}). 0 answers at once. Requests signed with --access-key-id are "
                    + "never delayed."})
    private long serviceLatencyMs;

    @Option(names = "--connection-setup-ms", defaultValue = "10", paramLabel = "MS",
            description = "Added to an execution environment's first request on a connection, for DNS, TCP and "
                    + "TLS (an assumption; default: ${DEFAULT-VALUE}).")
    private long connectionSetupMs;

    @Option(names = "--host-memory-floor-mb", defaultValue = "1024", paramLabel = "MB",
            description = {"Refuse to start an execution environment that would leave this host less available "
                    + "memory (MemAvailable) than this: an invocation that needs one is throttled (429 "
                    + "TooManyRequestsException), a provisioned concurrency configuration fails (default: "
                    + "${DEFAULT-VALUE}). AWS has no such limit; every local environment is a process of this host.",
                    "0 turns the guard off (environments are started until the host swaps or its OOM killer acts)."})
    private long hostMemoryFloorMb;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--port " + port + " is not a port: use 0 to 65535 (0 picks a free one)");
        }
        ServiceLatency latency;
        try {
            latency = ServiceLatency.ofMillis(serviceLatencyMs, connectionSetupMs);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--service-latency-ms "
                    + serviceLatencyMs + " / --connection-setup-ms " + connectionSetupMs + ": " + e.getMessage());
        }
        LambdaSettings lambda;
        try {
            lambda = LambdaSettings.builder().hostMemoryFloorMb(hostMemoryFloorMb).freezeIdleEnvironments(freeze)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--host-memory-floor-mb "
                    + hostMemoryFloorMb + ": " + e.getMessage());
        }
        LocalCloud cloud = LocalCloud.builder().port(port).region(region).credentials(accessKeyId, secretAccessKey)
                .dataDirectory(dataDirectory).lambdaSettings(lambda).serviceLatency(latency).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cloud.close();
            stopped.countDown();
        }, "local-cloud-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Local cloud listening on %s (region %s, account %s)%n", cloud.endpoint(), cloud.region(),
                cloud.accountId());
        out.printf("Point the AWS CLI or an AWS SDK at it:%n");
        cloud.environment().forEach((name, value) -> out.printf("  export %s=%s%n", name, value));
        out.printf("Data: %s. Press Ctrl-C to stop.%n", dataDirectory == null ? "in memory" : dataDirectory.toAbsolutePath());
        out.flush();
        stopped.await();
        return 0;
    }
}
