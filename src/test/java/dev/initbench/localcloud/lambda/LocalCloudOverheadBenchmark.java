package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.server.LoopbackServers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.functions.FakeSsmEndpoint;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.apigateway.HttpApiService;
import dev.initbench.localcloud.logs.LogStore;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The local cloud's own cost, measured (run explicitly:
 * {@code ./mvnw -B -o test -Dtest=LocalCloudOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}):
 * <ol>
 *   <li>front-door overhead: a warm request through the HTTP API minus the function's own REPORT Duration, p50/p99;
 *   <li>init: "start a provisioned environment" until it is READY, against the same runtime client command
 *       started directly on a stand-in Runtime API, and against the same JVM (same options, code directory and
 *       variables) constructing the same handler outside the local cloud and the runtime client.
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
    /**
     * Requests from the blocking client before its measured ones: its own code and the server's paths it drives are
     * compiled by then, so the JIT's threads no longer take a core from the requests they time (2 cores).
     */
    private static final int BLOCKING_WARMUP_REQUESTS = 500;
    private static final int INIT_ROUNDS = 21;
    private static final String HANDLER = "dev.initbench.functions.EagerInitHandler";
    private static final Pattern REPORT_DURATION = Pattern.compile("\tDuration: (\\d+\\.\\d+) ms");
    private static final Pattern INIT_LINE = Pattern.compile(
            "^HOSTCPU Init\tType: provisioned-concurrency\tCPU: (\\d+\\.\\d+) ms\t.*\tWall: (\\d+\\.\\d+) ms");
    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

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
                // Interleaved round by round, so a drift of the host's speed falls on all three alike.
                InitSamples local = new InitSamples();
                InitSamples standIn = new InitSamples();
                InitSamples bare = new InitSamples();
                BareInit bareInit = new BareInit(latest, context);
                StandInLaunch standInLaunch = null;
                for (int round = 0; round < INIT_ROUNDS; round++) {
                    long start = System.nanoTime();
                    lambda.putProvisionedConcurrency("bench", "live", 1);
                    ProvisionedConcurrencyState status = lambda.awaitProvisionedConcurrency("bench", "live",
                            Duration.ofMinutes(2)).status();
                    local.recordWall((System.nanoTime() - start) / 1000);
                    assertThat(status).isEqualTo(ProvisionedConcurrencyState.READY);
                    if (standInLaunch == null) {
                        standInLaunch = StandInLaunch.of(lambda.environments().get(0).pid(), latest.codeDirectory());
                    }
                    if (round < INIT_ROUNDS - 1) {
                        lambda.deleteProvisionedConcurrency("bench", "live");
                        awaitNoEnvironments(lambda);
                    }
                    standInLaunch.measure(standIn);
                    bareInit.measure(bare);
                }
                InitSamples localProcess = new InitSamples();
                for (Matcher line : initLines(logs)) {
                    local.cpuMs().add(Double.parseDouble(line.group(1)));
                    localProcess.cpuMs().add(Double.parseDouble(line.group(1)));
                    localProcess.recordWall(Math.round(Double.parseDouble(line.group(2)) * 1000));
                }

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
                    for (int i = 0; i < BLOCKING_WARMUP_REQUESTS; i++) {
                        assertThat(client.get()).isEqualTo(200);
                    }
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
                int blockingStart = durations.size() - MEASURED_REQUESTS;
                List<Double> measured = durations.subList(blockingStart - BLOCKING_WARMUP_REQUESTS - MEASURED_REQUESTS,
                        blockingStart - BLOCKING_WARMUP_REQUESTS);
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
                        The same route, %d more warm requests (after %d unmeasured ones) from one keep-alive socket read
                        and written on the test thread (no client threads: the JDK HttpClient above hands each request between its own
                        threads, and that is in its latency too).

                        | figure | p50 ms | p99 ms | max ms |
                        |---|---|---|---|
                        | front-door overhead, blocking client | %.3f | %.3f | %.3f |
                        """, MEASURED_REQUESTS, BLOCKING_WARMUP_REQUESTS, ms(blockingOverhead.getValueAtPercentile(50)),
                        ms(blockingOverhead.getValueAtPercentile(99)), ms(blockingOverhead.getMaxValue())) + frontDoorSections;
                write(overhead, functionDuration, local, localProcess, bare, standIn,
                        lambda.runtimeInstallation("java17"), frontDoorSections);
            } finally {
                apis.close();
                lambda.close();
            }
        }
        assertThat(LambdaTestSupport.runningEnvironmentProcesses()).isEmpty();
    }

    /** Wall clock to ready of one way to initialize, and the CPU time (all the process's threads) of each round. */
    private record InitSamples(Histogram wallMicros, List<Double> cpuMs, List<Long> roundsMicros) {
        InitSamples() {
            this(new Histogram(3), new ArrayList<>(), new ArrayList<>());
        }

        void recordWall(long micros) {
            wallMicros.recordValue(micros);
            roundsMicros.add(micros);
        }

        /** Each round's wall clock in ms, in order. */
        String rounds() {
            return roundsMicros.stream().map(micros -> String.valueOf(Math.round(micros / 1000.0)))
                    .collect(Collectors.joining(" "));
        }
    }

    /**
     * The same JVM and init outside the local cloud: options (the runtime class-data archive included), class path
     * (the runtime client's jars, then {@link BareInitMain}), variables and code directory as an environment's.
     */
    private static final class BareInit {
        private final ProcessBuilder builder;

        BareInit(FunctionVersion function, CloudContext context) throws Exception {
            JavaRuntime jdk = JavaRuntime.resolve("java17", LambdaSettings.defaults());
            JavaRuntimeFamily family = new JavaRuntimeFamily(Files.createTempDirectory("bare-init"));
            Optional<Path> archive = family.runtimeArchive(jdk).archive();
            String classpath = family.runtimeClientClasspath() + File.pathSeparator
                    + Path.of(BareInitMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> command = new ArrayList<>();
            command.add(jdk.javaExecutable().toString());
            command.addAll(JavaRuntimeFamily.managedRuntimeOptions(jdk, function.memorySizeMb(),
                    InitializationType.PROVISIONED_CONCURRENCY, archive));
            command.addAll(List.of("-cp", classpath, BareInitMain.class.getName(), function.codeDirectory().toString(),
                    HANDLER));
            builder = new ProcessBuilder(command).directory(function.codeDirectory().toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "AWS_REGION", context.region(),
                    "AWS_ACCESS_KEY_ID", context.accessKeyId(), "AWS_SECRET_ACCESS_KEY", context.secretAccessKey(),
                    "AWS_ENDPOINT_URL", context.endpoint().toString(), "PARAMETER_NAME", "/bench/value",
                    "AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency",
                    // The SDK's trace-id interceptor acts only inside Lambda, i.e. when this is set, as it is there.
                    "AWS_LAMBDA_FUNCTION_NAME", function.functionName(), "AWS_EXECUTION_ENV", "AWS_Lambda_java17",
                    "LAMBDA_TASK_ROOT", function.codeDirectory().toString()));
        }

        void measure(InitSamples samples) throws Exception {
            long start = System.nanoTime();
            Process process = builder.start();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                boolean done = false;
                for (String line; !done && (line = output.readLine()) != null; ) {
                    done = line.equals("INIT_DONE");
                }
                samples.recordWall((System.nanoTime() - start) / 1000);
                assertThat(done).as("bare init printed INIT_DONE").isTrue();
                samples.cpuMs().add(processCpuMs(process.pid())); // it waits for its standard input to close
                process.getOutputStream().close();
            } finally {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /**
     * The runtime client with the exact command line and variables of a local environment (read from its
     * {@code /proc} entry), started directly against a stand-in Runtime API that only notes the first {@code /next}:
     * the JVM, the runtime client's bootstrap and the function's init, without the local cloud's launcher, cgroup,
     * Runtime API and provisioning. Local minus this is the local cloud's share; this minus bare is the runtime
     * client's, which the managed runtime runs too.
     */
    private record StandInLaunch(List<String> command, Map<String, String> variables, Path codeDirectory) {

        static StandInLaunch of(long environmentPid, Path codeDirectory) throws IOException {
            Path proc = Path.of("/proc", Long.toString(environmentPid));
            List<String> command = List.of(Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8)
                    .split("\0"));
            assertThat(command.get(command.size() - 2)).isEqualTo(JavaRuntimeFamily.RUNTIME_CLIENT_MAIN);
            Map<String, String> variables = new HashMap<>();
            for (String entry : Files.readString(proc.resolve("environ"), StandardCharsets.UTF_8).split("\0")) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    variables.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
            return new StandInLaunch(command, variables, codeDirectory);
        }

        void measure(InitSamples samples) throws Exception {
            CompletableFuture<String> firstRequest = new CompletableFuture<>();
            HttpServer runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            runtimeApi.createContext("/", exchange -> firstRequest.complete(exchange.getRequestURI().getPath()));
            runtimeApi.start();
            ProcessBuilder builder = new ProcessBuilder(command).directory(codeDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(variables);
            builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                String path = firstRequest.get(60, TimeUnit.SECONDS);
                samples.recordWall((System.nanoTime() - start) / 1000);
                assertThat(path).isEqualTo("/2018-06-01/runtime/invocation/next");
                samples.cpuMs().add(processCpuMs(process.pid()));
            } finally {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                runtimeApi.stop(0);
            }
        }
    }

    /** Deleting provisioned concurrency stops its environment in the background; the next round waits for that. */
    private static void awaitNoEnvironments(LambdaService lambda) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!lambda.environments().isEmpty()) {
            assertThat(System.nanoTime()).as("environment stopped within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The process's CPU time so far, all its threads, ended ones included ({@code /proc/<pid>/stat}, in ticks). */
    private static double processCpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * The environments' {@code HOSTCPU Init} lines in the order they were written: CPU (group 1) and wall clock from
     * process start (group 2).
     */
    private static List<Matcher> initLines(LogStore logs) {
        List<LogStore.LogEvent> events = new ArrayList<>();
        for (String stream : logs.streamNames("/aws/lambda/bench")) {
            events.addAll(logs.events("/aws/lambda/bench", stream));
        }
        events.sort(Comparator.comparingLong(LogStore.LogEvent::timestamp));
        List<Matcher> lines = events.stream().map(event -> INIT_LINE.matcher(event.message()))
                .filter(Matcher::find).toList();
        assertThat(lines).hasSize(INIT_ROUNDS);
        return lines;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
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

    private static void write(Histogram overhead, Histogram functionDuration, InitSamples local,
                              InitSamples localProcess, InitSamples bare, InitSamples standIn, RuntimeInstallation jdk,
                              String frontDoorSections)
            throws Exception {
        long localP50 = local.wallMicros().getValueAtPercentile(50);
        long bareP50 = bare.wallMicros().getValueAtPercentile(50);
        long standInP50 = standIn.wallMicros().getValueAtPercentile(50);
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

                ## Init (%d rounds each, interleaved)
                Wall clock to ready; CPU of all the process's threads (local: its HOSTCPU Init line; the others:
                /proc/<pid>/stat at ready, 10 ms ticks).

                | figure | p50 ms | max ms | CPU ms (median) |
                |---|---|---|---|
                | local cloud: PutProvisionedConcurrency(1) -> READY | %.1f | %.1f | %.1f |
                | of which its process start -> first /next (HOSTCPU Init Wall) | %.1f | %.1f | %.1f |
                | runtime client, same command line and variables, stand-in Runtime API, to its first /next | %.1f | %.1f | %.1f |
                | bare JVM, same options and class path, constructing the handler | %.1f | %.1f | %.1f |

                | split (p50) | ms | ratio |
                |---|---|---|
                | local cloud's share: local - runtime client on the stand-in | %.1f | %.2f |
                | runtime client's bootstrap: runtime client on the stand-in - bare | %.1f | %.2f |
                | local / bare | | %.2f |

                Rounds, ms: local %s; its process %s; stand-in %s; bare %s.
                """, Runtime.getRuntime().availableProcessors(), loadAverage(), jdk.fullVersion(),
                MEASURED_REQUESTS, WARMUP_REQUESTS,
                ms(overhead.getValueAtPercentile(50)), ms(overhead.getValueAtPercentile(99)), ms(overhead.getMaxValue()),
                ms(functionDuration.getValueAtPercentile(50)), ms(functionDuration.getValueAtPercentile(99)),
                ms(functionDuration.getMaxValue()), INIT_ROUNDS,
                ms(localP50), ms(local.wallMicros().getMaxValue()), median(local.cpuMs()),
                ms(localProcess.wallMicros().getValueAtPercentile(50)), ms(localProcess.wallMicros().getMaxValue()),
                median(localProcess.cpuMs()),
                ms(standInP50), ms(standIn.wallMicros().getMaxValue()), median(standIn.cpuMs()),
                ms(bareP50), ms(bare.wallMicros().getMaxValue()), median(bare.cpuMs()),
                ms(localP50 - standInP50), (double) localP50 / standInP50,
                ms(standInP50 - bareP50), (double) standInP50 / bareP50,
                (double) localP50 / bareP50, local.rounds(), localProcess.rounds(), standIn.rounds(), bare.rounds())
                + frontDoorSections;
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
