package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small test classes that use {@link LambdaServiceExtension} through JUnit's own engine: every service they
 * used is closed with its environments gone, after passing and failing tests and a failing setup, and a
 * runtime-client process still running when the service has closed fails the test it belonged to without hiding
 * that test's own failure.
 */
class LambdaServiceExtensionTest {

    private static final String INSIDE_TESTKIT = "initbench.lambdaServiceExtensionTest";
    /** What the fixture classes saw: their services, their environments' pids, the processes they left running. */
    private static final List<LambdaService> services = new CopyOnWriteArrayList<>();
    private static final List<Long> pids = new CopyOnWriteArrayList<>();
    private static final List<Process> strays = new CopyOnWriteArrayList<>();

    @BeforeEach
    @AfterEach
    void forgetTheFixtures() throws InterruptedException {
        for (Process stray : strays) {
            stray.destroyForcibly();
            stray.waitFor(10, TimeUnit.SECONDS);
        }
        strays.clear();
        services.clear();
        pids.clear();
    }

    @Test
    void everyTestsServiceIsClosedWithItsEnvironmentsWhetherTheTestPassedOrFailed() {
        Events tests = run(ServicePerTest.class);

        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(failure(tests)).hasMessage("the test's own failure").hasNoSuppressedExceptions();
        assertThat(services).hasSize(2).doesNotHaveDuplicates();
        assertThat(pids).hasSize(2).allSatisfy(LambdaServiceExtensionTest::assertEnded);
        services.forEach(LambdaServiceExtensionTest::assertClosed);
    }

    @Test
    void aServiceWhoseTestsSetupThrewIsClosedToo() {
        Events tests = run(FailingSetup.class);

        tests.assertStatistics(s -> s.started(1).failed(1));
        assertThat(failure(tests)).hasMessage("setup fails after an environment started");
        assertThat(pids).singleElement().satisfies(LambdaServiceExtensionTest::assertEnded);
        assertClosed(services.get(0));
    }

    @Test
    void aRuntimeClientProcessLeftRunningFailsThePassingTestItBelongedTo() {
        Events tests = run(LeavesARuntimeClientProcess.class);

        tests.assertStatistics(s -> s.started(1).failed(1));
        assertThat(strays).singleElement().satisfies(stray -> assertThat(stray.isAlive())
                .as("the extension cannot stop what the service does not own").isTrue());
        assertThat(failure(tests)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("runtime client processes of this test JVM still running")
                .hasMessageContaining(Long.toString(strays.get(0).pid()));
        assertClosed(services.get(0));
    }

    @Test
    void aLeftProcessIsReportedBesideTheTestsOwnFailureNotInsteadOfIt() {
        Events tests = run(FailsAndLeavesARuntimeClientProcess.class);

        tests.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = failure(tests);
        assertThat(failure).hasMessage("the test's own failure");
        assertThat(failure.getSuppressed()).singleElement().asString()
                .contains("runtime client processes of this test JVM still running")
                .contains(Long.toString(strays.get(0).pid()));
    }

    @Test
    void aStaticFieldGivesTheClassOneServiceClosedAfterItsLastTest() {
        Events tests = run(ServicePerClass.class);

        tests.assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(services).hasSize(2).containsOnly(services.get(0));
        assertClosed(services.get(0));
    }

    @Test
    void usingTheServiceOutsideItsScopeOrAnEndpointItWasNotGivenNamesTheFix() {
        LambdaServiceExtension unregistered = LambdaServiceExtension.builder().build();

        assertThatThrownBy(unregistered::service).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension").hasMessageContaining("constructor");
        Events tests = run(AsksForAnSsmEndpointItWasNotGiven.class);
        assertThat(failure(tests)).isInstanceOf(IllegalStateException.class).hasMessageContaining(".fakeSsm()");
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(INSIDE_TESTKIT, "true")
                .selectors(selectClass(fixture)).execute().testEvents();
    }

    /** The one failure among the events, as JUnit reported it. */
    private static Throwable failure(Events tests) {
        return tests.failed().stream().map(Event::getPayload).map(payload -> payload.orElseThrow())
                .map(TestExecutionResult.class::cast).map(result -> result.getThrowable().orElseThrow())
                .reduce((first, second) -> {
                    throw new AssertionError("more than one failure: " + first + ", " + second);
                }).orElseThrow(() -> new AssertionError("no test failed"));
    }

    private static void assertEnded(long pid) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("environment process " + pid).isEmpty();
    }

    private static void assertClosed(LambdaService service) {
        assertThat(service.environments()).isEmpty();
        assertThatThrownBy(() -> createFunction(service)).isInstanceOf(AwsServiceException.class)
                .hasMessageContaining("the local Lambda service is closed");
    }

    private static void createFunction(LambdaService service) {
        service.createFunction(LambdaTestSupport.misbehavingFunction("fixture", "java17", 10, Map.of()));
    }

    /** Starts an environment (a real runtime-client JVM) and records its service and pid. */
    private static void startAnEnvironment(LambdaServiceExtension extension) {
        LambdaService service = extension.service();
        services.add(service);
        createFunction(service);
        assertThat(service.invoke("fixture", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8))
                .functionError()).isEmpty();
        pids.addAll(extension.environmentPids());
    }

    /**
     * A process of this JVM whose command line names the Java runtime client's entry point, as a lost environment's
     * would, that no Lambda service owns; a shell waiting on its stdin, so it ends with this JVM at the latest.
     */
    private static void startAStrayRuntimeClientProcess() throws IOException {
        strays.add(new ProcessBuilder("sh", "-c", "read -r line", JavaRuntimeFamily.RUNTIME_CLIENT_MAIN).start());
    }

    /** Keeps the fixtures below from running on their own in the build: they fail on purpose. */
    static final class OnlyInsideTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(INSIDE_TESTKIT).isPresent()
                    ? ConditionEvaluationResult.enabled("run by LambdaServiceExtensionTest")
                    : ConditionEvaluationResult.disabled("a fixture of LambdaServiceExtensionTest");
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class ServicePerTest {
        @RegisterExtension
        final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();

        @Test
        void passes() {
            startAnEnvironment(extension);
        }

        @Test
        void fails() {
            startAnEnvironment(extension);
            throw new AssertionError("the test's own failure");
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class FailingSetup {
        @RegisterExtension
        final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();

        @BeforeEach
        void setUp() {
            startAnEnvironment(extension);
            throw new IllegalStateException("setup fails after an environment started");
        }

        @Test
        void neverRuns() {
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class LeavesARuntimeClientProcess {
        @RegisterExtension
        final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();

        @Test
        void passesItself() throws IOException {
            services.add(extension.service());
            startAStrayRuntimeClientProcess();
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class FailsAndLeavesARuntimeClientProcess {
        @RegisterExtension
        final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();

        @Test
        void fails() throws IOException {
            startAStrayRuntimeClientProcess();
            throw new AssertionError("the test's own failure");
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class ServicePerClass {
        @RegisterExtension
        static final LambdaServiceExtension EXTENSION = LambdaServiceExtension.builder().build();

        @Test
        void first() {
            services.add(EXTENSION.service());
        }

        @Test
        void second() {
            services.add(EXTENSION.service());
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class AsksForAnSsmEndpointItWasNotGiven {
        @RegisterExtension
        final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();

        @Test
        void asks() {
            extension.ssm();
        }
    }
}
