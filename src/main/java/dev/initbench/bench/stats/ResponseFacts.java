package dev.initbench.bench.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.initbench.json.Json;
import java.util.Optional;

/**
 * What a function's 200 response says about the invocation that answered it (README, "What the functions answer").
 *
 * @param function                {@code eager-init} or {@code lazy-init}
 * @param environmentId           the execution environment's random id
 * @param initializationType      {@code provisioned-concurrency}, {@code on-demand} (or what the environment reported)
 * @param invocation              1-based invocation count in that environment
 * @param firstInvocation         whether it was the environment's first invocation
 * @param setupInThisInvocationMs client build plus parameter fetch paid by this invocation (0 except lazy's first)
 * @param initDurationMs          the handler's own init work
 * @param fetchDurationMs         the GetParameter call
 * @param logStreamName           where the invocation's REPORT line is
 * @param awsRequestId            the invocation's request id (the REPORT line's RequestId)
 */
public record ResponseFacts(String function, String environmentId, String initializationType, long invocation,
                            boolean firstInvocation, double setupInThisInvocationMs, double initDurationMs,
                            double fetchDurationMs, String logStreamName, String awsRequestId) {

    /** The value of {@link #initializationType()} for environments created on demand (cold starts). */
    public static final String ON_DEMAND = "on-demand";
    /** The value of {@link #initializationType()} for provisioned-concurrency environments. */
    public static final String PROVISIONED_CONCURRENCY = "provisioned-concurrency";

    /**
     * Reads the facts from a response body; empty when the body is not a JSON object carrying at least
     * {@code environmentId}, {@code initializationType} and {@code firstInvocation}.
     */
    public static Optional<ResponseFacts> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = Json.READER.readTree(body);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.hasNonNull("environmentId")
                || !node.hasNonNull("initializationType") || !node.path("firstInvocation").isBoolean()) {
            return Optional.empty();
        }
        return Optional.of(new ResponseFacts(
                node.path("function").asText(""),
                node.get("environmentId").asText(),
                node.get("initializationType").asText(),
                node.path("invocation").asLong(0),
                node.get("firstInvocation").asBoolean(),
                node.path("setupInThisInvocationMs").asDouble(0),
                node.path("initDurationMs").asDouble(0),
                node.path("fetchDurationMs").asDouble(0),
                node.path("logStreamName").asText(""),
                node.path("awsRequestId").asText("")));
    }

    /** Whether this invocation ran in an environment created on demand. */
    public boolean onDemand() {
        return ON_DEMAND.equals(initializationType);
    }
}
