package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.functions.FakeSsmEndpoint;
import dev.initbench.localcloud.apigateway.HttpApiService;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.server.LoopbackServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Where the warm tail of a Node.js environment comes from (run explicitly:
 * {@code ./mvnw -B -o test -Dtest=NodeWarmTailBenchmark -Dsurefire.failIfNoSpecifiedTests=false}). Warm, sequential
 * requests to the project's esm function under provisioned concurrency, spaced like the benchmark's steady phase
 * leaves each environment idle, alternately through the HTTP API front door and by a direct Invoke, with freezing on
 * and off. Each request is split into: client latency; the platform's {@code REPORT Duration} (queued for the
 * runtime until its answer); the {@code HOSTCPU} Wall (handed to the runtime until its answer), Frozen and CPU Wait.
 * So client − Duration is the front door plus the control plane, Duration − Wall is the hand-over to the waiting
 * {@code /next} (the thaw included), Wall is the runtime's own work. Figures go to
 * {@code target/benchmarks/node-warm-tail.md}; {@code -Dnodetail.requests} and {@code -Dnodetail.gapMs} change the
 * schedule.
 */
class NodeWarmTailBenchmark {

    static {
        // Before the first JDK HTTP server of this JVM (the fake SSM endpoint) reads the setting.
        LoopbackServers.disableNagle();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMETER = "/bench/node-value";
    private static final int REQUESTS = Integer.getInteger("nodetail.requests", 120);
    private static final long GAP_MS = Long.getLong("nodetail.gapMs", 500);
    private static final int ENVIRONMENTS = 2;
    private static final Pattern REPORT = Pattern.compile("^REPORT RequestId: (\\S+)\tDuration: ([\\d.]+) ms");
    private static final Pattern HOSTCPU = Pattern.compile("^HOSTCPU RequestId: (\\S+)\tCPU: ([\\d.]+) ms\t"
            + "CPU Wait: ([\\d.]+) ms\tWall: ([\\d.]+) ms\tFrozen: ([\\d.]+) ms");

    /** One measured request, all in ms. */
    record Sample(boolean frontDoor, double clientMs, double durationMs, double wallMs, double frozenMs,
                  double cpuWaitMs, double cpuMs) {
        double outsideDurationMs() {
            return clientMs - durationMs;
        }

        double handOverMs() {
            return durationMs - wallMs;
        }
    }

    @Test
    void decomposeWarmLatency() throws Exception {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
                # Node.js warm tail, decomposed

                Command: `./mvnw -B -o test -Dtest=NodeWarmTailBenchmark -Dsurefire.failIfNoSpecifiedTests=false`
                %d processors, load average at start %s; esm function (nodejs22.x, 512 MB), %d provisioned
                environments, %d warm sequential requests %d ms apart, alternately through the HTTP API and by Invoke.
                client − Duration: front door and control plane; Duration − Wall: hand-over to the waiting `/next`
                (thaw included); Wall: delivery to the runtime's answer (HOSTCPU).
                """, Runtime.getRuntime().availableProcessors(), loadAverage(), ENVIRONMENTS, REQUESTS, GAP_MS));
        for (boolean freeze : new boolean[] {true, false}) {
            List<Sample> samples = measure(freeze);
            report.append(table(freeze, samples));
        }
        Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
        Files.writeString(directory.resolve("node-warm-tail.md"), report);
        System.out.println(report);
        assertThat(LambdaTestSupport.runningEnvironmentProcesses()).isEmpty();
    }

    private static List<Sample> measure(boolean freeze) throws Exception {
        try (FakeSsmEndpoint ssm = new FakeSsmEndpoint()) {
            ssm.answerValue(PARAMETER, "v");
            CloudContext context = LambdaTestSupport.context(ssm.endpoint());
            LogStore logs = new LogStore();
            LambdaService lambda = new LambdaService(context, LambdaTestSupport.objects(), logs,
                    LambdaSettings.builder().freezeIdleEnvironments(freeze).selectionSeed(7).build());
            HttpApiService apis = new HttpApiService(context, lambda);
            try {
                lambda.createFunction(new LambdaService.FunctionSpec("esm", "nodejs22.x", "esm.handler", 512, 15,
                        "arn:aws:iam::123456789012:role/r", "", Map.of("PARAMETER_NAME", PARAMETER),
                        LambdaService.Code.s3(LambdaTestSupport.BUCKET, LambdaTestSupport.NODE_FUNCTIONS_KEY)));
                lambda.publishVersion("esm", Optional.empty());
                lambda.createAlias("esm", "live", "1", Optional.empty());
                lambda.putProvisionedConcurrency("esm", "live", ENVIRONMENTS);
                assertThat(lambda.awaitProvisionedConcurrency("esm", "live", Duration.ofMinutes(2)).status())
                        .isEqualTo(ProvisionedConcurrencyState.READY);
                String api = apis.createApi("bench");
                String integration = apis.createIntegration(api, lambda.functionArn("esm") + ":live", 30_000);
                apis.createRoute(api, "GET /esm", "integrations/" + integration);
                apis.createStage(api, "$default");
                URI url = URI.create(apis.apiEndpoint(api) + "/esm");
                HttpClient http = HttpClient.newHttpClient();
                byte[] event = ("{\"version\":\"2.0\",\"rawPath\":\"/esm\",\"requestContext\":{\"http\":"
                        + "{\"method\":\"GET\"}}}").getBytes(StandardCharsets.UTF_8);

                Map<String, double[]> clientByRequest = new HashMap<>();
                Map<String, Boolean> frontDoorByRequest = new HashMap<>();
                for (int i = 0; i < REQUESTS; i++) {
                    Thread.sleep(GAP_MS);
                    boolean frontDoor = i % 2 == 0;
                    long start = System.nanoTime();
                    String body;
                    if (frontDoor) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        body = response.body();
                    } else {
                        InvocationResult result = lambda.invoke("esm", Optional.of("live"), event);
                        assertThat(result.functionError()).as(result.payloadText()).isEmpty();
                        body = JSON.readTree(result.payload()).get("body").asText();
                    }
                    double clientMs = (System.nanoTime() - start) / 1e6;
                    JsonNode facts = JSON.readTree(body);
                    String requestId = facts.get("awsRequestId").asText();
                    clientByRequest.put(requestId, new double[] {clientMs});
                    frontDoorByRequest.put(requestId, frontDoor);
                }
                return join(logs, lambda.environments().stream().map(EnvironmentInfo::logStreamName).toList(),
                        clientByRequest, frontDoorByRequest);
            } finally {
                apis.close();
                lambda.close();
            }
        }
    }

    private static List<Sample> join(LogStore logs, List<String> streams, Map<String, double[]> clientByRequest,
                                     Map<String, Boolean> frontDoorByRequest) {
        Map<String, Double> durations = new HashMap<>();
        Map<String, double[]> hostCpu = new HashMap<>();
        for (String stream : streams) {
            for (LogStore.LogEvent event : logs.events("/aws/lambda/esm", stream)) {
                Matcher report = REPORT.matcher(event.message());
                if (report.find()) {
                    durations.put(report.group(1), Double.parseDouble(report.group(2)));
                }
                Matcher cpu = HOSTCPU.matcher(event.message());
                if (cpu.find()) {
                    hostCpu.put(cpu.group(1), new double[] {Double.parseDouble(cpu.group(2)),
                            Double.parseDouble(cpu.group(3)), Double.parseDouble(cpu.group(4)),
                            Double.parseDouble(cpu.group(5))});
                }
            }
        }
        List<Sample> samples = new ArrayList<>();
        clientByRequest.forEach((requestId, client) -> {
            double[] cpu = hostCpu.get(requestId);
            samples.add(new Sample(frontDoorByRequest.get(requestId), client[0], durations.get(requestId), cpu[2],
                    cpu[3], cpu[1], cpu[0]));
        });
        return samples;
    }

    private static String table(boolean freeze, List<Sample> samples) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, """

                ## Freezing %s

                | path | figure | p50 ms | p90 ms | p99 ms | max ms |
                |---|---|---|---|---|---|
                """, freeze ? "on" : "off"));
        for (boolean frontDoor : new boolean[] {true, false}) {
            List<Sample> path = samples.stream().filter(sample -> sample.frontDoor() == frontDoor).toList();
            String name = frontDoor ? "HTTP API" : "Invoke";
            row(out, name, "client", path, Sample::clientMs);
            row(out, name, "client − Duration", path, Sample::outsideDurationMs);
            row(out, name, "Duration − Wall", path, Sample::handOverMs);
            row(out, name, "Wall", path, Sample::wallMs);
            row(out, name, "CPU Wait", path, Sample::cpuWaitMs);
            row(out, name, "CPU", path, Sample::cpuMs);
        }
        out.append("\nSlowest 8 (client, client − Duration, Duration − Wall, Wall, Frozen, CPU Wait, CPU; ms):\n\n");
        samples.stream().sorted(Comparator.comparingDouble(Sample::clientMs).reversed()).limit(8)
                .forEach(sample -> out.append(String.format(Locale.ROOT,
                        "- %s %.1f = %.1f + %.1f + %.1f (frozen %.1f, CPU wait %.1f, CPU %.1f)%n",
                        sample.frontDoor() ? "HTTP API" : "Invoke", sample.clientMs(), sample.outsideDurationMs(),
                        sample.handOverMs(), sample.wallMs(), sample.frozenMs(), sample.cpuWaitMs(), sample.cpuMs())));
        return out.toString();
    }

    private static void row(StringBuilder out, String path, String figure, List<Sample> samples,
                            ToDoubleFunction<Sample> value) {
        double[] values = samples.stream().mapToDouble(value).sorted().toArray();
        out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f |%n", path, figure,
                percentile(values, 50), percentile(values, 90), percentile(values, 99), values[values.length - 1]));
    }

    private static double percentile(double[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
