package dev.initbench.localcloud.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys {@code template.yaml} with fake providers and reports (to {@code target/benchmarks/}): the engine's own
 * cost per stack in memory and with a data folder (every event written durably), and, with providers that take a
 * fixed time per resource, the stack's creation time against the sum of all resource times (sequential creation)
 * and the template's critical path (the best any dependency-ordered engine can do).
 * Run: {@code ./mvnw -B -o test -Dtest=StackCreationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class StackCreationBenchmark {

    private static final int OVERHEAD_RUNS = 15;
    private static final int TIMED_RUNS = 3;
    private static final long RESOURCE_MILLIS = 50;
    private static final long ALIAS_MILLIS = 300;

    @TempDir
    Path dataDirectory;

    @Test
    void measure() throws IOException {
        String template = Files.readString(Path.of("template.yaml"));
        List<String> report = new ArrayList<>();
        report.add("template.yaml, fake providers, " + Runtime.getRuntime().availableProcessors() + " CPUs");

        double inMemory = medianCreateAndDeleteMillis(template, Optional.empty(), OVERHEAD_RUNS, 0, 0);
        double durable = medianCreateAndDeleteMillis(template, Optional.of(dataDirectory), OVERHEAD_RUNS, 0, 0);
        report.add(String.format(Locale.ROOT, "engine cost, instant providers, create+delete median of %d: "
                + "in memory %.1f ms, with data folder %.1f ms", OVERHEAD_RUNS, inMemory, durable));

        Map<String, Long> cost = new HashMap<>();
        Template parsed = Template.parse(template);
        parsed.resources().values().forEach(resource -> cost.put(resource.logicalId(),
                resource.type().equals("AWS::Lambda::Alias") ? ALIAS_MILLIS : RESOURCE_MILLIS));
        long sequential = cost.values().stream().mapToLong(Long::longValue).sum();
        long criticalPath = criticalPath(parsed.dependencyGraph(), cost);
        double created = medianCreateAndDeleteMillis(template, Optional.empty(), TIMED_RUNS, RESOURCE_MILLIS,
                ALIAS_MILLIS);
        report.add(String.format(Locale.ROOT, "providers taking %d ms per resource (%d ms per alias): "
                        + "create+delete median of %d = %.0f ms; sequential creation alone would take %d ms; "
                        + "critical path %d ms; ratio sequential/measured %.2f",
                RESOURCE_MILLIS, ALIAS_MILLIS, TIMED_RUNS, created, sequential, criticalPath, sequential / created));
        Path out = Path.of("target", "benchmarks", "cloudformation-stack-creation.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
        assertThat(created).isPositive();
    }

    /** Median time from CreateStack to CREATE_COMPLETE plus DeleteStack to DELETE_COMPLETE. */
    private static double medianCreateAndDeleteMillis(String template, Optional<Path> data, int runs,
                                                      long resourceMillis, long aliasMillis) {
        List<Double> millis = new ArrayList<>();
        try (LocalStacks cloud = new LocalStacks(data, TemplateYamlProviders::of)) {
            cloud.providers.values().forEach(provider -> {
                long pause = provider.resourceType().equals("AWS::Lambda::Alias") ? aliasMillis : resourceMillis;
                provider.createHook = () -> sleep(pause);
            });
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                String stackId = cloud.create("bench" + run, template, "Parameters.member.1.ParameterKey",
                        "ArtifactBucket", "Parameters.member.1.ParameterValue", "artifacts",
                        "Parameters.member.2.ParameterKey", "ArtifactKey", "Parameters.member.2.ParameterValue",
                        "fn.zip", "Capabilities.member.1", "CAPABILITY_IAM");
                assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
                cloud.call("DeleteStack", "StackName", stackId);
                assertThat(cloud.awaitSettled(stackId)).isEqualTo("DELETE_COMPLETE");
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        millis.sort(Double::compare);
        return millis.get(millis.size() / 2);
    }

    private static long criticalPath(Map<String, Set<String>> graph, Map<String, Long> cost) {
        Map<String, Long> finish = new HashMap<>();
        long longest = 0;
        for (int pass = 0; pass < graph.size(); pass++) {
            for (Map.Entry<String, Set<String>> node : graph.entrySet()) {
                long start = node.getValue().stream().mapToLong(dependency -> finish.getOrDefault(dependency, 0L))
                        .max().orElse(0);
                finish.put(node.getKey(), start + cost.get(node.getKey()));
                longest = Math.max(longest, finish.get(node.getKey()));
            }
        }
        return longest;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
