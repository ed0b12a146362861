package dev.initbench.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParameterFunctionTest {

    private static final String NAME = "/bench/value";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeSsmEndpoint ssm;

    @BeforeEach
    void startSsm() throws Exception {
        ssm = new FakeSsmEndpoint();
    }

    @AfterEach
    void stopSsm() {
        ssm.close();
    }

    @Test
    void eagerFetchesDuringInitAndNeverOnRequests() throws Exception {
        ssm.answerValue(NAME, "v1");
        EagerInitHandler handler = new EagerInitHandler(ssm.source(NAME));
        assertThat(ssm.getParameterCalls()).as("fetched while constructing, i.e. in the init phase").isEqualTo(1);

        JsonNode first = invoke(handler, 200);
        JsonNode second = invoke(handler, 200);

        assertThat(ssm.getParameterCalls()).isEqualTo(1);
        assertThat(first.get("function").asText()).isEqualTo("eager-init");
        assertThat(first.get("value").asText()).isEqualTo("v1");
        assertThat(first.get("parameterName").asText()).isEqualTo(NAME);
        assertThat(first.get("setupPhase").asText()).isEqualTo("init");
        assertThat(first.get("firstInvocation").asBoolean()).isTrue();
        assertThat(second.get("firstInvocation").asBoolean()).isFalse();
        assertThat(second.get("invocation").asLong()).isEqualTo(2);
        assertThat(first.get("setupInThisInvocationMs").asDouble()).isZero();
        assertThat(first.get("initDurationMs").asDouble())
                .isGreaterThanOrEqualTo(first.get("fetchDurationMs").asDouble());
        assertThat(first.get("environmentId").asText()).isNotBlank().isEqualTo(second.get("environmentId").asText());
        assertThat(first.has("initializationType")).isTrue();
    }

    @Test
    void lazyFetchesOnItsFirstInvocationOnly() throws Exception {
        ssm.answerValue(NAME, "v2");
        LazyInitHandler handler = new LazyInitHandler(ssm.source(NAME));
        assertThat(ssm.getParameterCalls()).as("nothing fetched during init").isZero();

        JsonNode first = invoke(handler, 200);
        JsonNode second = invoke(handler, 200);

        assertThat(ssm.getParameterCalls()).isEqualTo(1);
        assertThat(first.get("function").asText()).isEqualTo("lazy-init");
        assertThat(first.get("value").asText()).isEqualTo("v2");
        assertThat(first.get("setupPhase").asText()).isEqualTo("invocation");
        assertThat(first.get("setupInThisInvocationMs").asDouble()).isPositive();
        assertThat(second.get("setupInThisInvocationMs").asDouble()).isZero();
        assertThat(second.get("value").asText()).isEqualTo("v2");
    }

    @Test
    void asyncStartsTheFetchAtInitWithoutWaitingAndTheFirstInvocationJoinsIt() throws Exception {
        ssm.answerValue(NAME, "v3");
        ssm.delayEachAnswerBy(Duration.ofMillis(800));
        long constructing = System.nanoTime();
        AsyncInitHandler handler = new AsyncInitHandler(ssm.source(NAME));
        assertThat((System.nanoTime() - constructing) / 1_000_000).as("init does not wait for the fetch").isLessThan(800);

        JsonNode first = invoke(handler, 200);
        JsonNode second = invoke(handler, 200);

        assertThat(ssm.getParameterCalls()).isEqualTo(1);
        assertThat(first.get("function").asText()).isEqualTo("async-init");
        assertThat(first.get("value").asText()).isEqualTo("v3");
        assertThat(first.get("setupPhase").asText()).isEqualTo("init-started");
        assertThat(first.get("initDurationMs").asDouble()).isLessThan(800);
        assertThat(first.get("fetchDurationMs").asDouble()).isGreaterThanOrEqualTo(800);
        assertThat(first.get("initFetchSettledBeforeInvocation").asBoolean()).isFalse();
        assertThat(first.get("awaitedInInvocationMs").asDouble()).isPositive()
                .isEqualTo(first.get("setupInThisInvocationMs").asDouble());
        assertThat(second.get("initFetchSettledBeforeInvocation").asBoolean()).isTrue();
        assertThat(second.get("awaitedInInvocationMs").asDouble()).isZero();
        assertThat(second.get("setupInThisInvocationMs").asDouble()).isZero();
    }

    @Test
    void asyncFirstInvocationWaitsForNothingOnceTheFetchHasFinished() throws Exception {
        ssm.answerValue(NAME, "early");
        AsyncInitHandler handler = new AsyncInitHandler(ssm.source(NAME));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ssm.getParameterCalls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(500);

        JsonNode first = invoke(handler, 200);

        assertThat(first.get("initFetchSettledBeforeInvocation").asBoolean()).isTrue();
        assertThat(first.get("setupInThisInvocationMs").asDouble()).isZero();
        assertThat(first.get("value").asText()).isEqualTo("early");
    }

    @Test
    void slowSsmIsPaidAtInitByEagerAndByTheFirstRequestOfLazy() throws Exception {
        ssm.answerValue(NAME, "slow");
        ssm.delayEachAnswerBy(Duration.ofMillis(300));

        EagerInitHandler eager = new EagerInitHandler(ssm.source(NAME));
        LazyInitHandler lazy = new LazyInitHandler(ssm.source(NAME));
        JsonNode eagerFirst = invoke(eager, 200);
        JsonNode lazyFirst = invoke(lazy, 200);
        JsonNode lazySecond = invoke(lazy, 200);

        assertThat(eagerFirst.get("fetchDurationMs").asDouble()).isGreaterThanOrEqualTo(300);
        assertThat(eagerFirst.get("initDurationMs").asDouble()).isGreaterThanOrEqualTo(300);
        assertThat(eagerFirst.get("setupInThisInvocationMs").asDouble()).isZero();
        assertThat(lazyFirst.get("fetchDurationMs").asDouble()).isGreaterThanOrEqualTo(300);
        assertThat(lazyFirst.get("setupInThisInvocationMs").asDouble()).isGreaterThanOrEqualTo(300);
        assertThat(lazyFirst.get("initDurationMs").asDouble()).isLessThan(300);
        assertThat(lazySecond.get("setupInThisInvocationMs").asDouble()).isZero();
    }

    @Test
    void missingParameterAnswers500NamingParameterAndErrorClass() throws Exception {
        ssm.answerError("ParameterNotFound", "Parameter /bench/value not found.");
        for (ParameterFunction handler : List.of(new EagerInitHandler(ssm.source(NAME)),
                new LazyInitHandler(ssm.source(NAME)), new AsyncInitHandler(ssm.source(NAME)))) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(new APIGatewayV2HTTPEvent(), null);
            JsonNode body = JSON.readTree(response.getBody());

            assertThat(response.getStatusCode()).isEqualTo(500);
            assertThat(body.get("parameterName").asText()).isEqualTo(NAME);
            assertThat(body.get("errorType").asText()).isEqualTo("ParameterNotFoundException");
            assertThat(body.get("errorCode").asText()).isEqualTo("ParameterNotFound");
            assertThat(body.get("error").asText()).contains(NAME);
            assertThat(response.getBody()).doesNotContain("\tat ").doesNotContain("Exception: ");
            assertThat(body.has("value")).isFalse();
        }
    }

    @Test
    void accessDeniedAnswers500WithTheServiceErrorCode() throws Exception {
        ssm.answerError("AccessDeniedException", "User is not authorized to perform: ssm:GetParameter");
        JsonNode eager = invoke(new EagerInitHandler(ssm.source(NAME)), 500);
        JsonNode lazy = invoke(new LazyInitHandler(ssm.source(NAME)), 500);

        for (JsonNode body : List.of(eager, lazy)) {
            assertThat(body.get("errorType").asText()).isEqualTo("AccessDeniedException");
            assertThat(body.get("errorCode").asText()).isEqualTo("AccessDeniedException");
            assertThat(body.get("error").asText()).contains("not authorized");
        }
    }

    @Test
    void lazyRetriesAfterAFailureWhileEagerKeepsItsInitFailure() throws Exception {
        ssm.answerError("ParameterNotFound", "Parameter /bench/value not found.");
        EagerInitHandler eager = new EagerInitHandler(ssm.source(NAME));
        LazyInitHandler lazy = new LazyInitHandler(ssm.source(NAME));
        invoke(lazy, 500);

        ssm.answerValue(NAME, "now-there");

        assertThat(invoke(lazy, 200).get("value").asText()).isEqualTo("now-there");
        assertThat(invoke(eager, 500).get("errorCode").asText()).isEqualTo("ParameterNotFound");
    }

    @Test
    void eagerRetriesATransientInitFailureAndSaysSoInTheResponse() throws Exception {
        ssm.answerValue(NAME, "after-propagation");
        ssm.failNext(2, "AccessDeniedException", "User is not authorized to perform: ssm:GetParameter");

        JsonNode body = invoke(new EagerInitHandler(ssm.source(NAME)), 200);

        assertThat(body.get("value").asText()).isEqualTo("after-propagation");
        assertThat(body.get("setupAttempts").asInt()).isEqualTo(3);
        assertThat(body.get("setupEarlierFailures").asText())
                .isEqualTo("AccessDeniedException (AccessDeniedException), AccessDeniedException (AccessDeniedException)");
        assertThat(body.get("setupPhase").asText()).as("still eager").isEqualTo("init");
        assertThat(ssm.getParameterCalls()).isEqualTo(3);
    }

    @Test
    void eagerGivesUpAfterItsBoundedAttemptsAndNeverFetchesOnRequests() throws Exception {
        ssm.failNext(100, "AccessDeniedException", "User is not authorized to perform: ssm:GetParameter");
        EagerInitHandler eager = new EagerInitHandler(ssm.source(NAME));

        JsonNode first = invoke(eager, 500);
        invoke(eager, 500);

        assertThat(first.get("setupAttempts").asInt()).isEqualTo(InitRetry.DEFAULT.maxAttempts());
        assertThat(first.get("error").asText()).contains("(5 attempts during init)");
        assertThat(ssm.getParameterCalls()).as("no fetch on requests: eager never turns lazy").isEqualTo(5);
    }

    @Test
    void initBackoffDoublesUpToItsBound() {
        InitRetry retry = InitRetry.DEFAULT;
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(retry::backoffAfter)
                .map(java.time.Duration::toMillis)).containsExactly(200L, 400L, 800L, 1600L, 1600L);
    }

    @Test
    void overlappingFirstInvocationsOfLazyFetchOnce() throws Exception {
        ssm.answerValue(NAME, "once");
        ssm.delayEachAnswerBy(Duration.ofMillis(200));
        LazyInitHandler lazy = new LazyInitHandler(ssm.source(NAME));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<APIGatewayV2HTTPResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                responses.add(pool.submit(() -> lazy.handleRequest(new APIGatewayV2HTTPEvent(), null)));
            }
            for (Future<APIGatewayV2HTTPResponse> response : responses) {
                assertThat(JSON.readTree(response.get().getBody()).get("value").asText()).isEqualTo("once");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ssm.getParameterCalls()).isEqualTo(1);
    }

    @Test
    void holdMsKeepsTheEnvironmentBusyAndBadValuesAnswer400() throws Exception {
        ssm.answerValue(NAME, "v");
        EagerInitHandler handler = new EagerInitHandler(ssm.source(NAME));
        APIGatewayV2HTTPEvent held = new APIGatewayV2HTTPEvent();
        held.setQueryStringParameters(Map.of("holdMs", "120"));

        long start = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(held, null);

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(120);
        assertThat(JSON.readTree(response.getBody()).get("heldMs").asLong()).isEqualTo(120);
        for (String bad : List.of("-1", "soon", "10001")) {
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setQueryStringParameters(Map.of("holdMs", bad));
            APIGatewayV2HTTPResponse refused = handler.handleRequest(event, null);
            assertThat(refused.getStatusCode()).isEqualTo(400);
            assertThat(refused.getBody()).contains("holdMs must be a whole number").contains(bad);
        }
        assertThat(invoke(handler, 200).get("heldMs").asLong()).isZero();
    }

    private static JsonNode invoke(ParameterFunction handler, int expectedStatus) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(new APIGatewayV2HTTPEvent(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(expectedStatus);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        return JSON.readTree(response.getBody());
    }
}
