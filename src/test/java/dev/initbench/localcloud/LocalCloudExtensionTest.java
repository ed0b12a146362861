package dev.initbench.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Runs small test classes that use {@link LocalCloudExtension} through JUnit's own engine and checks that every
 * cloud they started is closed afterwards, above all when their tests or their setup failed.
 */
class LocalCloudExtensionTest {

    private static final String INSIDE_TESTKIT = "initbench.localCloudExtensionTest";
    /** Ports of the clouds the fixture classes saw, and what their clients saw when they were closed. */
    private static final List<Integer> ports = new CopyOnWriteArrayList<>();
    private static final List<String> closedClients = new CopyOnWriteArrayList<>();

    @Test
    void aClassCloudIsClosedWithItsClientsWhenTheTestsFail() {
        Events tests = run(ClassCloudWithFailingTests.class).testEvents();

        tests.assertStatistics(s -> s.started(3).succeeded(1).failed(2));
        assertThat(ports).hasSize(3).containsOnly(ports.get(0));
        assertClosed(ports.get(0));
        assertThat(closedClients).containsExactly("ssm closed while the cloud was still up",
                "check ran with the cloud down");
    }

    @Test
    void anInstanceFieldGivesEveryTestItsOwnCloudAndClosesEach() {
        Events tests = run(CloudPerTest.class).testEvents();

        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(ports).hasSize(2).doesNotHaveDuplicates();
        ports.forEach(LocalCloudExtensionTest::assertClosed);
    }

    @Test
    void aCloudStartedBeforeAFailingSetupIsClosedToo() {
        Events containers = run(FailingSetup.class).containerEvents();

        containers.assertStatistics(s -> s.failed(1));
        assertThat(ports).hasSize(1);
        assertClosed(ports.get(0));
    }

    @Test
    void aFailingAfterCloseCheckFailsTheClassAfterTheCloudClosed() {
        Events containers = run(FailingAfterCloseCheck.class).containerEvents();

        containers.assertStatistics(s -> s.failed(1));
        assertThat(containers.failed().stream().map(e -> e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow().getMessage()))
                .singleElement().asString().contains("an environment JVM outlived the cloud");
        assertClosed(ports.get(0));
    }

    @Test
    void usingTheCloudOutsideItsScopeNamesTheFix() {
        LocalCloudExtension unregistered = new LocalCloudExtension();

        assertThatThrownBy(unregistered::cloud).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        ports.clear();
        closedClients.clear();
        return EngineTestKit.engine("junit-jupiter").configurationParameter(INSIDE_TESTKIT, "true")
                .selectors(selectClass(fixture)).execute();
    }

    private static void assertClosed(int port) {
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** Keeps the fixtures below from running on their own in the build: they fail on purpose. */
    static final class OnlyInsideTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(INSIDE_TESTKIT).isPresent()
                    ? ConditionEvaluationResult.enabled("run by LocalCloudExtensionTest")
                    : ConditionEvaluationResult.disabled("a fixture of LocalCloudExtensionTest");
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class ClassCloudWithFailingTests {
        @RegisterExtension
        static final LocalCloudExtension CLOUD = new LocalCloudExtension();
        private static SsmClient ssm;

        @BeforeAll
        static void openClients() {
            ssm = CLOUD.client(TestClients::ssm);
            int port = CLOUD.cloud().endpoint().getPort();
            CLOUD.client(cloud -> () -> closedClients.add("ssm closed while the cloud was "
                    + (accepts(port) ? "still up" : "already down")));
            CLOUD.afterClose(() -> closedClients.add("check ran with the cloud " + (accepts(port) ? "up" : "down")));
        }

        @Test
        void works() {
            ssm.putParameter(b -> b.name("/x").value("v").type(ParameterType.STRING));
            ports.add(CLOUD.cloud().endpoint().getPort());
        }

        @Test
        void failsAnAssertion() {
            ports.add(CLOUD.cloud().endpoint().getPort());
            assertThat(1).isEqualTo(2);
        }

        @Test
        void throwsAnException() {
            ports.add(CLOUD.cloud().endpoint().getPort());
            throw new IllegalStateException("a test that blows up");
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class CloudPerTest {
        @RegisterExtension
        final LocalCloudExtension cloud = new LocalCloudExtension(b -> b.region("eu-west-1"));

        @Test
        void first() {
            ports.add(cloud.cloud().endpoint().getPort());
            assertThat(cloud.cloud().region()).isEqualTo("eu-west-1");
        }

        @Test
        void second() {
            ports.add(cloud.cloud().endpoint().getPort());
            throw new AssertionError("fails on purpose");
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class FailingSetup {
        @RegisterExtension
        static final LocalCloudExtension CLOUD = new LocalCloudExtension();

        @BeforeAll
        static void setUp() {
            ports.add(CLOUD.cloud().endpoint().getPort());
            throw new IllegalStateException("setup fails after the cloud started");
        }

        @Test
        void neverRuns() {
        }
    }

    @ExtendWith(OnlyInsideTestKit.class)
    static class FailingAfterCloseCheck {
        @RegisterExtension
        static final LocalCloudExtension CLOUD = new LocalCloudExtension();

        @BeforeAll
        static void setUp() {
            ports.add(CLOUD.cloud().endpoint().getPort());
            CLOUD.afterClose(() -> {
                throw new AssertionError("an environment JVM outlived the cloud");
            });
        }

        @Test
        void passes() {
        }
    }
}
