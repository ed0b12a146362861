package dev.initbench.localcloud.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test function (packed into a zip by {@link LambdaTestSupport}) that misbehaves on request: its init fails when
 * the function's {@code MODE} variable is {@code fail-init}; an invocation with {@code action} {@code crash} halts
 * the JVM, {@code sleep} sleeps {@code ms} milliseconds, {@code burn} keeps one CPU busy for {@code ms} milliseconds
 * of wall time, {@code throw} throws; anything else echoes facts about the
 * environment. Given an HTTP API 2.0 event it answers with a 2.0 response object, unless {@code action} is
 * {@code plain} (then the facts, which API Gateway must turn into a 200 JSON response).
 */
public class MisbehavingHandler {

    private static final long STARTED = System.nanoTime();

    static {
        if ("fail-init".equals(System.getenv("MODE"))) {
            throw new IllegalStateException("init failed on purpose");
        }
    }

    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) throws InterruptedException {
        String action = parameter(input, "action", "echo");
        switch (action) {
            case "crash" -> Runtime.getRuntime().halt(3);
            case "sleep" -> Thread.sleep(Long.parseLong(parameter(input, "ms", "1000")));
            case "burn" -> burn(Long.parseLong(parameter(input, "ms", "1000")));
            case "throw" -> throw new IllegalStateException("thrown on purpose");
            default -> {
            }
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("initializationType", System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
        facts.put("pid", ProcessHandle.current().pid());
        facts.put("functionVersion", System.getenv("AWS_LAMBDA_FUNCTION_VERSION"));
        facts.put("invokedFunctionArn", context.getInvokedFunctionArn());
        facts.put("remainingTimeMs", context.getRemainingTimeInMillis());
        facts.put("javaToolOptions", String.valueOf(System.getenv("JAVA_TOOL_OPTIONS")));
        facts.put("tieredStopAtLevel", String.valueOf(java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments().contains("-XX:TieredStopAtLevel=1")));
        facts.put("uptimeMs", (System.nanoTime() - STARTED) / 1_000_000);
        if (input.containsKey("rawPath") && !action.equals("plain")) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("statusCode", 201);
            response.put("headers", Map.of("x-test", "yes"));
            response.put("cookies", java.util.List.of("a=1", "b=2"));
            response.put("body", "path=" + input.get("rawPath") + " query=" + input.get("rawQueryString"));
            return response;
        }
        return facts;
    }

    /** Busy for {@code ms} of wall time; returns the iteration count so the loop cannot be removed. */
    private static long burn(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        return spins;
    }

    /** A field of the direct input, else a query parameter of an HTTP API event. */
    private static String parameter(Map<String, Object> input, String name, String fallback) {
        Object query = input.get("queryStringParameters");
        Object fromQuery = query instanceof Map<?, ?> map ? map.get(name) : null;
        return String.valueOf(input.getOrDefault(name, fromQuery == null ? fallback : fromQuery));
    }
}
