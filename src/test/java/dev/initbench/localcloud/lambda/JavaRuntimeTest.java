package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.invoke.InvocationResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.logs.LogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Which JDK serves a runtime, with which managed-runtime options, and that a java25 environment really runs. */
class JavaRuntimeTest {

    @TempDir
    Path jdks;

    @Test
    void aMissingJdkIsSubstitutedAndSaysSo() {
        JavaRuntime jdk = JavaRuntime.resolve("java21", LambdaSettings.builder().jdkSearchDirectory(jdks).build());
        assertThat(jdk.javaHome().toString()).isNotEmpty();
        assertThat(jdk.substitution()).hasValueSatisfying(note -> assertThat(note).contains("no JDK 21 found in " + jdks)
                .contains("local cloud's own JDK"));
    }

    @Test
    void aMatchingJdkInTheSearchDirectoryIsChosen() throws Exception {
        Path home = Files.createDirectories(jdks.resolve("jdk-21").resolve("bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        Files.writeString(jdks.resolve("jdk-21").resolve("release"), "JAVA_VERSION=\"21.0.4\"\n");
        JavaRuntime jdk = JavaRuntime.resolve("java21", LambdaSettings.builder().jdkSearchDirectory(jdks).build());
        assertThat(jdk.featureVersion()).isEqualTo(21);
        assertThat(jdk.fullVersion()).isEqualTo("21.0.4");
        assertThat(jdk.substitution()).isEmpty();
    }

    @Test
    void aBadPinnedJdkOrRuntimeIsRefusedWithTheFix() {
        assertThatThrownBy(() -> JavaRuntime.resolve("java21", LambdaSettings.builder()
                .runtimeJdk("java21", jdks.resolve("nothing")).build()))
                .hasMessageContaining("fix LambdaSettings.runtimeJdk");
        assertThatThrownBy(() -> JavaRuntime.resolve("python3.12", LambdaSettings.defaults()))
                .hasMessageContaining("use one of [java17, java21, java25]");
    }

    @Test
    void managedRuntimeOptionsFollowTheRuntimeAndInitType() {
        JavaRuntime java21 = new JavaRuntime("java21", Path.of("/jdk"), 21, "21", Optional.empty());
        JavaRuntime java25 = new JavaRuntime("java25", Path.of("/jdk"), 25, "25", Optional.empty());
        assertThat(JavaRuntimeFamily.managedRuntimeOptions(java21, 512, InitializationType.PROVISIONED_CONCURRENCY,
                Optional.empty()))
                .contains("-XX:MaxHeapSize=445644k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "--add-opens=java.base/java.io=ALL-UNNAMED",
                        "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-XX:+ErrorFileToStderr")
                .doesNotContain("--enable-native-access=ALL-UNNAMED");
        assertThat(JavaRuntimeFamily.managedRuntimeOptions(java25, 512, InitializationType.ON_DEMAND, Optional.empty()))
                .contains("-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");
        assertThat(JavaRuntimeFamily.managedRuntimeOptions(java25, 512, InitializationType.PROVISIONED_CONCURRENCY,
                Optional.empty()))
                .as("java25 with provisioned concurrency keeps the JVM's default tiering")
                .doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(JavaRuntimeFamily.managedRuntimeOptions(java21, 512, InitializationType.ON_DEMAND,
                Optional.of(Path.of("/cache/runtime.jsa"))))
                .as("the runtime's class-data archive, mapped when usable")
                .containsSubsequence("-Xshare:auto", "-XX:SharedArchiveFile=/cache/runtime.jsa");
    }

    /** The one case that starts an environment, so the only one with a Lambda service. */
    @Nested
    class OnAnInstalledJdk25 {

        @RegisterExtension
        final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();

        @Test
        void aJava25EnvironmentRunsOnAnInstalledJdk25() {
            JavaRuntime jdk = JavaRuntime.resolve("java25", LambdaSettings.defaults());
            Assumptions.assumeTrue(jdk.substitution().isEmpty(), "no JDK 25 installed under /usr/lib/jvm");
            LambdaService lambda = extension.service();
            lambda.createFunction(LambdaTestSupport.misbehavingFunction("on25", "java25", 10, Map.of()));
            InvocationResult result = lambda.invoke("on25", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(result.functionError()).as(result.payloadText()).isEmpty();
            EnvironmentInfo environment = lambda.environments().get(0);
            assertThat(environment.runtime().fullVersion()).startsWith("25");
            List<String> lines = extension.logs().events("/aws/lambda/on25", environment.logStreamName()).stream()
                    .map(LogStore.LogEvent::message).toList();
            assertThat(lines.get(0)).startsWith("INIT_START Runtime Version: java:25").contains(jdk.fullVersion())
                    .as("the runtime's class-data archive was built and named").containsPattern(
                            "\tRuntime class archive: /\\S+/runtime\\.jsa$");
            assertThat(lines).noneMatch(line -> line.contains("restricted method"));
        }
    }
}
