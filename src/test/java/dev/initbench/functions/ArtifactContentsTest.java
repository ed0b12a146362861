package dev.initbench.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the deployment artifact the build produced and proves what it holds. */
class ArtifactContentsTest {

    private static List<String> entries;
    private static Path artifact;

    @BeforeAll
    static void readArtifact() throws IOException {
        String path = System.getProperty("lambda.artifact.path");
        assertThat(path).as("system property lambda.artifact.path (set by the Maven build)").isNotBlank();
        artifact = Path.of(path);
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
                "dev/initbench/functions/LazyInitHandler.class",
                "dev/initbench/functions/AsyncInitHandler.class");
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

    @Test
    void runsEveryHandlerFromTheUnpackedArtifactAlone(@TempDir Path taskRoot) throws Exception {
        try (ZipFile zip = new ZipFile(artifact.toFile()); FakeSsmEndpoint ssm = new FakeSsmEndpoint()) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = taskRoot.resolve(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip.getInputStream(entry), target);
                }
            }
            ssm.answerValue("/smoke/value", "from-the-artifact");
            // The artifact's classes and lib/*.jar, as Lambda's class loader sees them, plus only the smoke main.
            Path smokeMain = Path.of(ArtifactSmokeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", taskRoot + File.pathSeparator + taskRoot.resolve("lib") + File.separator + "*"
                            + File.pathSeparator + smokeMain,
                    ArtifactSmokeMain.class.getName())
                    .redirectErrorStream(true);
            builder.environment().putAll(Map.of("PARAMETER_NAME", "/smoke/value", "AWS_REGION", "us-east-1",
                    "AWS_ENDPOINT_URL", ssm.endpoint().toString(), "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test", "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"));
            Process process = builder.start();
            try {
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("smoke JVM finished within 60 s").isTrue();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output).contains("\"function\":\"eager-init\"", "\"function\":\"lazy-init\"",
                                "\"function\":\"async-init\"")
                        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
                assertThat(output.split("\"value\":\"from-the-artifact\"", -1)).hasSize(4);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static List<String> jarNames() {
        return entries.stream().filter(name -> name.startsWith("lib/") && name.endsWith(".jar"))
                .map(name -> name.substring("lib/".length())).collect(Collectors.toList());
    }
}
