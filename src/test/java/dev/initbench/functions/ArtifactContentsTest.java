package dev.initbench.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens the deployment artifact the build produced and proves what it holds. */
class ArtifactContentsTest {

    private static List<String> entries;

    @BeforeAll
    static void readArtifact() throws IOException {
        String path = System.getProperty("lambda.artifact.path");
        assertThat(path).as("system property lambda.artifact.path (set by the Maven build)").isNotBlank();
        Path artifact = Path.of(path);
        assertThat(artifact).as("run the build through `process-classes` first").exists();
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).collect(Collectors.toList());
        }
        System.out.printf("Lambda artifact %s: %d bytes, %d entries%n", artifact, Files.size(artifact), entries.size());
    }

    @Test
    void holdsTheHandlersAtTheRootInTheJavaZipLayout() {
        assertThat(entries).contains(
                "dev/initbench/functions/EagerInitHandler.class",
                "dev/initbench/functions/LazyInitHandler.class");
    }

    @Test
    void holdsNoClassOutsideTheFunctionsPackage() {
        assertThat(entries)
                .filteredOn(name -> !name.endsWith("/"))
                .allMatch(name -> name.startsWith("dev/initbench/functions/") || name.matches("lib/[^/]+\\.jar"),
                        "a functions class or a lib/*.jar");
    }

    @Test
    void holdsTheRuntimeDependenciesOfTheFunctions() {
        assertThat(jarNames()).anyMatch(jar -> jar.startsWith("ssm-"))
                .anyMatch(jar -> jar.startsWith("url-connection-client-"))
                .anyMatch(jar -> jar.startsWith("aws-lambda-java-core-"))
                .anyMatch(jar -> jar.startsWith("aws-lambda-java-events-"));
    }

    @Test
    void holdsNoHeavyHttpClientNorBenchmarkOrLocalCloudDependency() {
        assertThat(jarNames()).noneMatch(jar -> jar.startsWith("netty") || jar.startsWith("apache-client")
                        || jar.startsWith("apache5-client") || jar.startsWith("httpclient") || jar.startsWith("httpcore"))
                .noneMatch(jar -> jar.startsWith("cloudformation-") || jar.startsWith("s3-")
                        || jar.startsWith("lambda-") || jar.startsWith("cloudwatchlogs-"))
                .noneMatch(jar -> jar.startsWith("aws-lambda-java-runtime-interface-client"))
                .noneMatch(jar -> jar.startsWith("jackson-databind") || jar.startsWith("snakeyaml")
                        || jar.startsWith("picocli") || jar.startsWith("HdrHistogram") || jar.startsWith("echarts")
                        || jar.startsWith("junit") || jar.startsWith("assertj") || jar.startsWith("rest-assured"))
                .noneMatch(jar -> jar.startsWith("joda-time"));
    }

    private static List<String> jarNames() {
        return entries.stream().filter(name -> name.startsWith("lib/") && name.endsWith(".jar"))
                .map(name -> name.substring("lib/".length())).collect(Collectors.toList());
    }
}
