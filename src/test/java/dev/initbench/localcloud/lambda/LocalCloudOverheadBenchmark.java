package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.server.LoopbackServers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.functions.FakeSsmEndpoint;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.apigateway.HttpApiService;
import dev.initbench.localcloud.logs.LogStore;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The local cloud's own cost, measured (run explicitly:
 * {@code ./mvnw -B -o test -Dtest=LocalCloudOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}):
 * <ol>
 *   <li>front-door overhead: a warm request through the HTTP API minus the function's own REPORT Duration, p50/p99;
 *   <li>init: "start a provisioned environment" until it is READY, against the same JVM (same options, code
 *       directory and variables) constructing the same handler outside the local cloud and the runtime client.
 * </ol>
 * Figures go to {@code target/benchmarks/local-cloud-overhead.md}. Uses the project's eager-init function.
 */
class LocalCloudOverheadBenchmark {

    static {
        // Before the first JDK HTTP server of this JVM (the fake SSM endpoint) reads the setting.
        LoopbackServers.disableNagle();
    }

    private static final int WARMUP_REQUESTS = 100;
    private static final int MEASURED_REQUESTS = 500;
    private static final int INIT_ROUNDS = 5;
    private static final String HANDLER = "dev.initbench.functions.EagerInitHandler";
    private static final Pattern REPORT_DURATION = Pattern.compile("\tDuration: (\\d+\\.\\d+) ms");

    @Test
    void measureOverhead() throws Exception {
        Set<Long> dispatchersBefore = LocalCloudThreadCpu.dispatchers();
        try (FakeSsmEndpoint ssm = new FakeSsmEndpoint()) {
            Set<Long> ssmDispatchers = LocalCloudThreadCpu.dispatchersSince(dispatchersBefore);
            ssm.answerValue("/bench/value", "v");
            CloudContext context = LambdaTestSupport.context(ssm.endpoint());
            LogStore logs = new LogStore();
            LambdaService lambda = new LambdaService(context, LambdaTestSupport.objects(), logs,
                    LambdaSettings.builder().provisioningParallelism(1).build());
            HttpApiService apis = new HttpApiService(context, lambda);
            try {
                FunctionVersion latest = lambda.createFunction(new LambdaService.FunctionSpec("bench", "java17",
                        HANDLER + "::handleRequest", 512, 30, "arn:aws:iam::123456789012:role/r", "",
                        Map.of("PARAMETER_NAME", "/bench/value"),
                        LambdaService.Code.s3(LambdaTestSupport.BUCKET, LambdaTestSupport.FUNCTIONS_KEY)));
                lambda.publishVersion("bench", Optional.empty());
                lambda.createAlias("bench", "live", "1", Optional.empty());

                // Built (or found) before the first measured round, so no round pays the one-time build.
                RuntimeClassArchive.Outcome archive = new JavaRuntimeFamily(Files.createTempDirectory("archive"))
                        .runtimeArchive(JavaRuntime.resolve("java17", LambdaSettings.defaults()));
                assertThat(archive.archive()).as(archive.description()).isPresent();
                Histogram localInit = new Histogram(3);
                for (int round = 0; round < INIT_ROUNDS; round++) {
                    long start = System.nanoTime();
                    lambda.putProvisionedConcurrency("bench", "live", 1);
                    ProvisionedConcurrencyState status = lambda.awaitProvisionedConcurrency("bench", "live",
                            Duration.ofMinutes(2)).status();
                    localInit.recordValue((System.nanoTime() - start) / 1000);
                    assertThat(status).isEqualTo(ProvisionedConcurrencyState.READY);
                    if (round < INIT_ROUNDS - 1) {
                        lambda.deleteProvisionedConcurrency("bench", "live");
                    }
                }
                Histogram bareInit = bareInit(latest, context);

                Set<Long> beforeApi = LocalCloudThreadCpu.dispatchers();
                String api = apis.createApi("bench");
                Set<Long> frontDoorDispatchers = LocalCloudThreadCpu.dispatchersSince(beforeApi);
                String integration = apis.createIntegration(api, lambda.functionArn("bench") + ":live", 30_000);
                apis.createRoute(api, "GET /eager", "integrations/" + integration);
                apis.createStage(api, "$default");
                URI url = URI.create(apis.apiEndpoint(api) + "/eager");
                HttpClient http = HttpClient.newHttpClient();
                String stream = lambda.environments().get(0).logStreamName();
                for (int i = 0; i < WARMUP_REQUESTS; i++) {
                    send(http, url);
                }
                LocalCloudThreadCpu cpu = LocalCloudThreadCpu.start(frontDoorDispatchers, ssmDispatchers,
                        lambda.environments().get(0).pid());
                long[] endToEndMicros = new long[MEASURED_REQUESTS];
                for (int i = 0; i < MEASURED_REQUESTS; i++) {
                    long start = System.nanoTime();
                    send(http, url);
                    endToEndMicros[i] = (System.nanoTime() - start) / 1000;
                }
                String frontDoorSections = cpu.perRequestTable(MEASURED_REQUESTS);
                long[] blockingClientMicros = new long[MEASURED_REQUESTS];
                try (BlockingHttpClient client = new BlockingHttpClient(url)) {
                    for (int i = 0; i < MEASURED_REQUESTS; i++) {
                        long start = System.nanoTime();
                        assertThat(client.get()).isEqualTo(200);
                        blockingClientMicros[i] = (System.nanoTime() - start) / 1000;
                    }
                }
                List<Double> durations = new ArrayList<>();
                for (LogStore.LogEvent event : logs.events("/aws/lambda/bench", stream)) {
                    Matcher matcher = REPORT_DURATION.matcher(event.message());
                    if (event.message().startsWith("REPORT ") && matcher.find()) {
                        durations.add(Double.parseDouble(matcher.group(1)));
                    }
                }
                List<Double> measured = durations.subList(durations.size() - 2 * MEASURED_REQUESTS,
                        durations.size() - MEASURED_REQUESTS);
                List<Double> measuredBlocking = durations.subList(durations.size() - MEASURED_REQUESTS,
                        durations.size());
                Histogram overhead = new Histogram(3);
                Histogram functionDuration = new Histogram(3);
                Histogram blockingOverhead = new Histogram(3);
                for (int i = 0; i < MEASURED_REQUESTS; i++) {
                    long functionMicros = Math.round(measured.get(i) * 1000);
                    functionDuration.recordValue(functionMicros);
                    overhead.recordValue(Math.max(0, endToEndMicros[i] - functionMicros));
                    blockingOverhead.recordValue(Math.max(0, blockingClientMicros[i]
                            - Math.round(measuredBlocking.get(i) * 1000)));
                }
                frontDoorSections = String.format(Locale.ROOT, """

                        ## Front door seen from a blocking client
                        The same route, %d more warm requests from one keep-alive socket read and written on the test
                        thread (no client threads: the JDK HttpClient above hands each request between its own
                        threads, and that is in its latency too).

                        | figure | p50 ms | p99 ms | max ms |
                        |---|---|---|---|
                        | front-door overhead, blocking client | %.3f | %.3f | %.3f |
                        """, MEASURED_REQUESTS, ms(blockingOverhead.getValueAtPercentile(50)),
                        ms(blockingOverhead.getValueAtPercentile(99)), ms(blockingOverhead.getMaxValue())) + frontDoorSections;
                write(overhead, functionDuration, localInit, bareInit, lambda.runtimeInstallation("java17"),
                        frontDoorSections);
            } finally {
                apis.close();
                lambda.close();
            }
        }
        assertThat(LambdaTestSupport.runningEnvironmentProcesses()).isEmpty();
    }

    /**
     * The same JVM and init outside the local cloud: options (the runtime class-data archive included), class path
     * (the runtime client's jars, then {@link BareInitMain}), variables and code directory as an environment's.
     */
    private static Histogram bareInit(FunctionVersion function, CloudContext context) throws Exception {
        JavaRuntime jdk = JavaRuntime.resolve("java17", LambdaSettings.defaults());
        JavaRuntimeFamily family = new JavaRuntimeFamily(Files.createTempDirectory("bare-init"));
        Optional<Path> archive = family.runtimeArchive(jdk).archive();
        String classpath = family.runtimeClientClasspath() + java.io.File.pathSeparator
                + Path.of(BareInitMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Histogram histogram = new Histogram(3);
        for (int round = 0; round < INIT_ROUNDS; round++) {
            List<String> command = new ArrayList<>();
            command.add(jdk.javaExecutable().toString());
            command.addAll(JavaRuntimeFamily.managedRuntimeOptions(jdk, function.memorySizeMb(),
                    InitializationType.PROVISIONED_CONCURRENCY, archive));
            command.addAll(List.of("-cp", classpath, BareInitMain.class.getName(), function.codeDirectory().toString(),
                    HANDLER));
            ProcessBuilder builder = new ProcessBuilder(command).directory(function.codeDirectory().toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "AWS_REGION", context.region(),
                    "AWS_ACCESS_KEY_ID", context.accessKeyId(), "AWS_SECRET_ACCESS_KEY", context.secretAccessKey(),
                    "AWS_ENDPOINT_URL", context.endpoint().toString(), "PARAMETER_NAME", "/bench/value",
                    "AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency",
                    // The SDK's trace-id interceptor acts only inside Lambda, i.e. when this is set, as it is there.
                    "AWS_LAMBDA_FUNCTION_NAME", function.functionName(), "AWS_EXECUTION_ENV", "AWS_Lambda_java17",
                    "LAMBDA_TASK_ROOT", function.codeDirectory().toString()));
            long start = System.nanoTime();
            Process process = builder.start();
            boolean done = false;
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; !done && (line = output.readLine()) != null; ) {
                    done = line.equals("INIT_DONE");
                }
            }
            histogram.recordValue((System.nanoTime() - start) / 1000);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(done).as("bare init printed INIT_DONE").isTrue();
        }
        return histogram;
    }

    /** HTTP/1.1 GETs over one kept-alive socket, on the calling thread; answers with Content-Length only. */
    private static final class BlockingHttpClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] request;

        BlockingHttpClient(URI url) throws IOException {
            socket = new Socket(url.getHost(), url.getPort());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            request = ("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nUser-Agent: overhead-benchmark\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** Sends the GET and reads the whole answer; returns its status. */
        int get() throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int contentLength = -1;
            for (String header; !(header = line()).isEmpty(); ) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(lower.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:")) {
                    throw new IOException("the benchmark's client reads Content-Length answers only: " + header);
                }
            }
            if (contentLength < 0) {
                throw new IOException("answer without Content-Length: " + status);
            }
            if (in.readNBytes(contentLength).length != contentLength) {
                throw new IOException("the server closed the connection mid-answer");
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void send(HttpClient http, URI url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void write(Histogram overhead, Histogram functionDuration, Histogram localInit, Histogram bareInit,
                              RuntimeInstallation jdk, String frontDoorSections) throws Exception {
        String report = String.format(Locale.ROOT, """
                # Local cloud overhead

                Command: `./mvnw -B -o test -Dtest=LocalCloudOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false`
                Machine: %d processors, load average %s at the end; environments on JDK %s; eager-init function, 512 MB,
                SSM on loopback. Environments and the bare JVM map the runtime class-data archive (JDK and runtime
                client classes, see RuntimeClassArchive) as the managed runtime maps its runtime.jsa.

                ## Front door (HTTP API -> alias with provisioned concurrency -> warm environment)
                %d warm sequential requests after %d warm-up requests; overhead = client latency - REPORT Duration.

                | figure | p50 ms | p99 ms | max ms |
                |---|---|---|---|
                | front-door overhead | %.3f | %.3f | %.3f |
                | function REPORT Duration | %.3f | %.3f | %.3f |

                ## Init (%d rounds each)
                | figure | p50 ms | max ms |
                |---|---|---|
                | local cloud: PutProvisionedConcurrency(1) -> READY | %.1f | %.1f |
                | bare JVM, same options and class path, constructing the handler | %.1f | %.1f |
                | ratio local / bare (p50) | %.2f | |
                | difference (runtime client bootstrap + Runtime API + service) | %.1f | |
                """, Runtime.getRuntime().availableProcessors(), loadAverage(), jdk.fullVersion(),
                MEASURED_REQUESTS, WARMUP_REQUESTS,
                ms(overhead.getValueAtPercentile(50)), ms(overhead.getValueAtPercentile(99)), ms(overhead.getMaxValue()),
                ms(functionDuration.getValueAtPercentile(50)), ms(functionDuration.getValueAtPercentile(99)),
                ms(functionDuration.getMaxValue()), INIT_ROUNDS,
                ms(localInit.getValueAtPercentile(50)), ms(localInit.getMaxValue()),
                ms(bareInit.getValueAtPercentile(50)), ms(bareInit.getMaxValue()),
                (double) localInit.getValueAtPercentile(50) / bareInit.getValueAtPercentile(50),
                ms(localInit.getValueAtPercentile(50) - bareInit.getValueAtPercentile(50))) + frontDoorSections;
        Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
        Files.writeString(directory.resolve("local-cloud-overhead.md"), report);
        System.out.println(report);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
