package dev.initbench.bench.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs one benchmark for the annotated test class: before its tests, the target named by {@code -Dbench.target}
 * (default: the embedded local cloud) is started, template.yaml deployed and the scenario's load driven; its tests
 * receive the {@link dev.initbench.bench.run.BenchmarkResult} as a parameter; after them, or when deploying fails,
 * everything is torn down. See {@link BenchmarkExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BenchmarkExtension.class)
public @interface DeployedBenchmark {
}
