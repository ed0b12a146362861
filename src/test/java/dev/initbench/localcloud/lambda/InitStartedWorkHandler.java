package dev.initbench.localcloud.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A test function (packed with the SDK by {@link LambdaTestSupport}) that starts work during init and does not wait
 * for it, like a CommonJS function's init-started promise: a thread builds an SSM client and makes
 * {@value #CALLS} GetParameter calls of {@code PARAMETER_NAME} to the local cloud, and a ticker thread counts 10 ms
 * sleeps. The first invocation reports how far that work got before it, then waits for the rest.
 */
public class InitStartedWorkHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final int CALLS = 5;

    private final long constructedNanos = System.nanoTime();
    private final AtomicInteger callsDone = new AtomicInteger();
    private final AtomicLong ticks = new AtomicLong();
    private final CompletableFuture<String> work = new CompletableFuture<>();
    private final AtomicInteger invocations = new AtomicInteger();

    public InitStartedWorkHandler() {
        Thread fetch = new Thread(() -> {
            try (SsmClient ssm = SsmClient.create()) {
                String value = null;
                for (int call = 0; call < CALLS; call++) {
                    value = ssm.getParameter(r -> r.name(System.getenv("PARAMETER_NAME"))).parameter().value();
                    callsDone.incrementAndGet();
                }
                work.complete(value);
            } catch (RuntimeException e) {
                work.completeExceptionally(e);
            }
        }, "init-started-fetch");
        fetch.setDaemon(true);
        fetch.start();
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(10);
                    ticks.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "init-started-ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        long invokedNanos = System.nanoTime();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("pid", ProcessHandle.current().pid());
        facts.put("invocation", invocations.incrementAndGet());
        facts.put("sinceInitMs", (invokedNanos - constructedNanos) / 1_000_000);
        facts.put("workDoneBeforeInvocation", work.isDone());
        facts.put("callsDoneBeforeInvocation", callsDone.get());
        facts.put("ticksBeforeInvocation", ticks.get());
        facts.put("value", work.join());
        facts.put("joinMs", (System.nanoTime() - invokedNanos) / 1e6);
        facts.put("accessKeyId", System.getenv("AWS_ACCESS_KEY_ID"));
        facts.put("sessionTokenSet", System.getenv("AWS_SESSION_TOKEN") != null);
        return facts;
    }
}
