package dev.initbench.bench.report;

import dev.initbench.bench.load.LoopbackServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback stand-ins for the eager and lazy functions: answers shaped like theirs from a few simulated execution
 * environments; lazy's first invocation per environment sleeps for its "parameter fetch", and one request of each
 * endpoint lands in an on-demand environment.
 */
final class FakeFunctions {

    static final int ENVIRONMENTS = 4;
    static final long FETCH_MILLIS = 120;
    static final int ON_DEMAND_REQUEST = 25;

    private FakeFunctions() {
    }

    static LoopbackServer start() {
        return new LoopbackServer()
                .route("/eager", handler("eager-init", false))
                .route("/lazy", handler("lazy-init", true));
    }

    private static LoopbackServer.Handler handler(String function, boolean lazy) {
        AtomicInteger requests = new AtomicInteger();
        Map<String, AtomicLong> invocations = new ConcurrentHashMap<>();
        return exchange -> {
            int n = requests.incrementAndGet();
            boolean onDemand = n == ON_DEMAND_REQUEST;
            String environment = function + (onDemand ? "-od" : "-pc" + (n % ENVIRONMENTS));
            long invocation = invocations.computeIfAbsent(environment, e -> new AtomicLong()).incrementAndGet();
            double setup = 0;
            if (lazy && invocation == 1) {
                Thread.sleep(FETCH_MILLIS);
                setup = FETCH_MILLIS;
            }
            String body = """
                    {"function":"%s","value":"v","initializationType":"%s","environmentId":"%s",\
                    "logStreamName":"s","awsRequestId":"%s-%d","invocation":%d,"firstInvocation":%s,\
                    "initDurationMs":%s,"fetchDurationMs":100.0,"setupInThisInvocationMs":%s}"""
                    .formatted(function, onDemand ? "on-demand" : "provisioned-concurrency", environment, function,
                            n, invocation, invocation == 1, lazy ? 5.0 : 300.0, setup);
            return new LoopbackServer.Response(200, body);
        };
    }
}
