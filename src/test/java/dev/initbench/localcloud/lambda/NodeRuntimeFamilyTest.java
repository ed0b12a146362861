package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Node.js serves a runtime, with which managed-runtime options, and the fix named when none is installed. */
class NodeRuntimeFamilyTest {

    @TempDir
    Path install;

    @Test
    void managedRuntimeOptionsFollowTheMemorySize() {
        assertThat(NodeRuntimeFamily.managedRuntimeOptions(1024)).containsExactly("--expose-gc",
                "--max-http-header-size", "81920", "--max-semi-space-size=51", "--max-old-space-size=922");
        assertThat(NodeRuntimeFamily.managedRuntimeOptions(128)).contains("--max-semi-space-size=6",
                "--max-old-space-size=116");
    }

    @Test
    void withoutAManifestEveryRuntimeNamesTheBuildThatInstallsIt() {
        NodeRuntimeFamily family = new NodeRuntimeFamily(Optional.empty(), "/nowhere/nodejs-runtimes.properties");
        assertThat(family.runtimes()).containsExactly("nodejs22.x", "nodejs24.x");
        assertThatThrownBy(() -> family.prepare("nodejs22.x", LambdaSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runtime nodejs22.x is not installed")
                .hasMessageContaining("/nowhere/nodejs-runtimes.properties")
                .hasMessageContaining("./mvnw -B process-classes")
                .hasMessageContaining("npm, cmake, make, g++");
    }

    @Test
    void aManifestEntryPointingNowhereOrAtAnotherVersionIsRefused() throws Exception {
        Properties manifest = new Properties();
        manifest.setProperty("nodejs24.x.node", install.resolve("missing/bin/node").toString());
        manifest.setProperty("nodejs24.x.ric", install.resolve("ric/index.mjs").toString());
        NodeRuntimeFamily family = new NodeRuntimeFamily(Optional.of(manifest), "test manifest");
        assertThatThrownBy(() -> family.resolve("nodejs24.x"))
                .hasMessageContaining("missing/bin/node (nodejs24.x.node in test manifest) does not exist");
        assertThatThrownBy(() -> family.resolve("nodejs22.x")).hasMessageContaining("has no nodejs22.x.node");

        Path node = fakeNode("v22.1.0");
        manifest.setProperty("nodejs24.x.node", node.toString());
        Files.createDirectories(install.resolve("ric"));
        Files.writeString(install.resolve("ric/index.mjs"), "");
        assertThatThrownBy(() -> family.resolve("nodejs24.x"))
                .hasMessageContaining("is Node.js 22.1.0, not 24.x")
                .hasMessageContaining("stale");
    }

    @Test
    void theInstalledBinaryIsAskedForItsVersionAndLaunchedWithTheRuntimeClient() throws Exception {
        Path node = fakeNode("v22.9.1");
        Path ric = Files.createDirectories(install.resolve("node_modules/aws-lambda-ric")).resolve("index.mjs");
        Files.writeString(ric, "");
        Properties manifest = new Properties();
        manifest.setProperty("nodejs22.x.node", node.toString());
        manifest.setProperty("nodejs22.x.ric", ric.toString());
        manifest.setProperty("nodejs22.x.ricVersion", "4.0.2");
        PreparedRuntime prepared = new NodeRuntimeFamily(Optional.of(manifest), "test manifest")
                .prepare("nodejs22.x", LambdaSettings.defaults());

        assertThat(prepared.installation().fullVersion()).isEqualTo("22.9.1");
        assertThat(prepared.installation().home()).isEqualTo(install.resolve("node"));
        assertThat(prepared.installation().substitution()).isEmpty();
        Path code = install.resolve("task");
        FunctionVersion function = new FunctionVersion("cjs", "arn:aws:lambda:us-east-1:123456789012:function:cjs",
                FunctionVersion.LATEST, "nodejs22.x", "cjs.handler", 512, 15, "arn:aws:iam::123456789012:role/r", "",
                Map.of(), code, 1, "sha", "2026-12-01T00:00:00.000+0000", "r1");
        PreparedRuntime.ProcessLaunch launch = prepared.launch(function, InitializationType.ON_DEMAND);
        assertThat(launch.command()).isEqualTo(List.of(node.toString(), "--expose-gc", "--max-http-header-size",
                "81920", "--max-semi-space-size=25", "--max-old-space-size=461", ric.toString()));
        assertThat(launch.command().get(launch.command().size() - 1)).endsWith(NodeRuntimeFamily.RUNTIME_CLIENT_ENTRY);
        assertThat(launch.variables()).containsAllEntriesOf(Map.of(
                "NODE_PATH", code.toString(),
                "LAMBDA_RUNTIME_DIR", ric.getParent().toString(),
                "PATH", node.getParent() + ":" + ReservedVariables.DEFAULT_PATH));
        assertThat(prepared.initStartDescription(function)).isEqualTo("Runtime Version: nodejs:22.local\tNode.js: "
                + "v22.9.1 " + node + "\tRuntime client: aws-lambda-ric 4.0.2");
    }

    private Path fakeNode(String version) throws Exception {
        Path bin = Files.createDirectories(install.resolve("node/bin"));
        Path node = Files.writeString(bin.resolve("node"), "#!/bin/sh\necho " + version + "\n");
        assertThat(node.toFile().setExecutable(true)).isTrue();
        return node;
    }
}
