package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloudExtension;
import dev.initbench.localcloud.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Lambda {@code Invoke} (RequestResponse) through the endpoint holds no endpoint thread while the function runs:
 * with several invocations in flight (each sleeping in its own environment) no endpoint thread is inside a request,
 * the control plane and another service still answer while they hold, and every invocation is answered afterwards.
 * The first round cold-starts the environments (each cold start runs on a {@code lambda-cold-start} thread until
 * its first invocation ends); the second finds them warm, and then no local-cloud thread at all waits on one.
 */
class InvokeHoldsNoThreadTest {

    private static final int IN_FLIGHT = 3;
    /** Long enough that the control-plane calls below finish while the invocations still hold, on a busy host too. */
    private static final long HOLD_MS = 6_000;
    private static final String FUNCTION = "holder";

    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();

    @Test
    void invocationsInFlightOccupyNoEndpointThreadAndOtherCallsAnswer() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(IN_FLIGHT);
        try (LambdaClient lambda = TestClients.lambda(CLOUD.cloud());
             CloudWatchLogsClient logs = TestClients.logs(CLOUD.cloud())) {
            lambda.createFunction(request -> request.functionName(FUNCTION).runtime(Runtime.JAVA17)
                    .handler(LambdaTestSupport.MISBEHAVING_HANDLER).memorySize(256).timeout(60)
                    .role("arn:aws:iam::000000000000:role/r")
                    .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(LambdaTestSupport.misbehavingZip()))
                            .build()));
            List<String> coldPids = holdAndAnswer(lambda, logs, callers, 1);
            List<String> warmPids = holdAndAnswer(lambda, logs, callers, 2);
            assertThat(warmPids).as("the second round ran warm on the first round's environments")
                    .containsExactlyInAnyOrderElementsOf(coldPids);
            assertThat(threadsInsideAnInvocation()).as("local-cloud threads inside an invocation afterwards").isEmpty();
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** One round of {@link #IN_FLIGHT} holding invocations; returns the pids of the environments that ran them. */
    private static List<String> holdAndAnswer(LambdaClient lambda, CloudWatchLogsClient logs, ExecutorService callers,
                                              int round) throws Exception {
        List<CompletableFuture<InvokeResponse>> invocations = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            invocations.add(CompletableFuture.supplyAsync(() -> lambda.invoke(request -> request
                    .functionName(FUNCTION)
                    .payload(SdkBytes.fromUtf8String("{\"action\":\"sleep\",\"ms\":" + HOLD_MS + "}"))), callers));
        }
        awaitStarted(logs, IN_FLIGHT * round);
        if (round > 1) {
            assertThat(threadsInsideAnInvocation()).as("local-cloud threads inside a warm invocation").isEmpty();
        }

        assertThat(endpointThreadsInsideARequest()).as("endpoint threads inside a request while %d invocations "
                + "hold", IN_FLIGHT).isEmpty();
        assertThat(lambda.getFunction(request -> request.functionName(FUNCTION)).configuration().functionName())
                .isEqualTo(FUNCTION);
        assertThat(lambda.listFunctions().functions()).hasSize(1);
        assertThat(logs.describeLogGroups().logGroups()).isNotEmpty();
        assertThat(invocations).as("the calls above were answered while the invocations still held")
                .noneMatch(CompletableFuture::isDone);

        CompletableFuture.allOf(invocations.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        List<String> pids = new ArrayList<>();
        for (CompletableFuture<InvokeResponse> invocation : invocations) {
            InvokeResponse response = invocation.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.functionError()).isNull();
            assertThat(response.executedVersion()).isEqualTo("$LATEST");
            Map<?, ?> facts = dev.initbench.json.Json.READER.readValue(response.payload().asByteArray(), Map.class);
            pids.add(String.valueOf(facts.get("pid")));
        }
        assertThat(pids).as("each invocation had an environment of its own").doesNotHaveDuplicates();
        return pids;
    }

    /** Waits (bounded) until {@code count} invocations have started in their environments. */
    private static void awaitStarted(CloudWatchLogsClient logs, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long started = 0;
        while (System.nanoTime() < deadline) {
            started = logs.describeLogGroups(request -> request.logGroupNamePrefix("/aws/lambda/" + FUNCTION))
                    .logGroups().isEmpty() ? 0 : logs.filterLogEvents(request -> request
                    .logGroupName("/aws/lambda/" + FUNCTION)).events().stream().map(FilteredLogEvent::message)
                    .filter(message -> message.startsWith("START RequestId:")).count();
            if (started >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("only " + started + " of " + count + " invocations started within 90 s");
    }

    /** Threads of this JVM whose stack is inside an invocation of the Lambda service (waiting for it to end). */
    private static List<String> threadsInsideAnInvocation() {
        List<String> inside = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().startsWith("invoke")
                    && frame.getClassName().startsWith("dev.initbench.localcloud.lambda.")
                    && !frame.getClassName().endsWith("InvokeHoldsNoThreadTest"))) {
                inside.add(thread.getName());
            }
        });
        return inside;
    }

    /** Endpoint threads whose stack is inside the handling of a request (not idle in the pool). */
    private static List<String> endpointThreadsInsideARequest() {
        List<String> busy = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("localcloud-endpoint-") && Arrays.stream(stack).anyMatch(frame ->
                    frame.getClassName().startsWith("dev.initbench.localcloud.server.LocalEndpoint")
                            && frame.getMethodName().contains("exchange"))) {
                busy.add(thread.getName());
            }
        });
        return busy;
    }
}
