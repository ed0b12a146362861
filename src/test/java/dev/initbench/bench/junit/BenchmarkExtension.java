package dev.initbench.bench.junit;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.run.BenchmarkResult;
import dev.initbench.bench.run.BenchmarkSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Owns a deployed benchmark for one test class, like a Testcontainers container: deploys and drives the load once
 * before the class's tests, hands each test the {@link BenchmarkResult} (or the {@link ScenarioSettings}), and tears
 * the deployment down when the class is done, whether its tests passed or failed. Teardown runs from JUnit's
 * store, which closes its resources even after failures; SIGTERM and Ctrl-C are covered by the deployment's JVM
 * shutdown hook.
 *
 * <p>Settings come from {@code -Dbench.*} system properties ({@link ScenarioSettingsLoader}); reports go to
 * {@code -Dbench.reportDir} (default {@code target/initbench}).
 */
public final class BenchmarkExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BenchmarkExtension.class);

    /** Closes the session when JUnit closes the class's store (JUnit closes every AutoCloseable value it holds). */
    private record OwnedSession(BenchmarkSession session) implements AutoCloseable {
        @Override
        public void close() {
            session.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ScenarioSettings settings = ScenarioSettingsLoader.fromSystemProperties();
        Path reportRoot = Path.of(System.getProperty("bench.reportDir", "target/initbench"));
        Instant start = Instant.now();
        BenchmarkSession session = BenchmarkSession.open(settings, reportRoot, message -> System.out.printf(
                "[%5.1fs] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, message));
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(OwnedSession.class, new OwnedSession(session));
        store.put(ScenarioSettings.class, settings);
        BenchmarkResult result = session.run();
        System.out.println("report: " + result.files().html().toAbsolutePath());
        store.put(BenchmarkResult.class, result);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == BenchmarkResult.class || type == ScenarioSettings.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Object value = context.getStore(NAMESPACE).get(type);
        if (value == null) {
            throw new ParameterResolutionException("no " + type.getSimpleName() + ": the benchmark did not complete"
                    + " (see the class's setup failure)");
        }
        return value;
    }
}
