package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The managed Node.js runtimes: {@code node <managed-runtime options> <aws-lambda-ric>/index.mjs}, the official
 * runtime interface client reading the handler from {@code _HANDLER}, in the unpacked package as working directory.
 *
 * <p>The binaries are the project's own install (src/main/nodejs/install-nodejs.sh, run by the build), named by
 * the manifest the build writes: the system property {@value #MANIFEST_PROPERTY} when set, else the classpath
 * resource {@value #MANIFEST_RESOURCE} (inside the jar or target/classes).
 */
final class NodeRuntimeFamily implements RuntimeFamily {

    static final String MANIFEST_PROPERTY = "nodejs.runtimes.manifest";
    static final String MANIFEST_RESOURCE = "/nodejs-runtimes.properties";
    static final List<String> RUNTIMES = List.of("nodejs22.x", "nodejs24.x");
    /** How an environment's command line names the runtime client (the process table shows it). */
    static final String RUNTIME_CLIENT_ENTRY = "aws-lambda-ric/index.mjs";

    private static final String INSTALL_HINT = "build the project once with ./mvnw -B process-classes (it installs "
            + "the Node.js runtimes into ~/.cache/lambda-init-bench/nodejs, or $LAMBDA_INIT_BENCH_CACHE; it needs npm, "
            + "cmake, make, g++, python3, tar and xz)";

    private final Optional<Properties> manifest;
    private final String manifestOrigin;

    /**
     * @param manifest       the build's manifest; empty when there is none (every prepare then names the fix)
     * @param manifestOrigin where it was looked for, for error messages
     */
    NodeRuntimeFamily(Optional<Properties> manifest, String manifestOrigin) {
        this.manifest = manifest;
        this.manifestOrigin = manifestOrigin;
    }

    /** The family of the build's manifest (see the class comment); an absent manifest fails at prepare, not here. */
    static NodeRuntimeFamily fromBuild() {
        String property = System.getProperty(MANIFEST_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path file = Path.of(property);
            if (!Files.isRegularFile(file)) {
                return new NodeRuntimeFamily(Optional.empty(), file + " (system property " + MANIFEST_PROPERTY + ")");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return new NodeRuntimeFamily(Optional.of(load(in)), file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Node.js runtimes manifest " + file, e);
            }
        }
        try (InputStream in = NodeRuntimeFamily.class.getResourceAsStream(MANIFEST_RESOURCE)) {
            return new NodeRuntimeFamily(in == null ? Optional.empty() : Optional.of(load(in)),
                    "classpath resource " + MANIFEST_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath resource " + MANIFEST_RESOURCE, e);
        }
    }

    @Override
    public List<String> runtimes() {
        return RUNTIMES;
    }

    /**
     * @throws IllegalArgumentException when the runtime is not installed (no manifest, no entry, a missing file, or
     *                                  a binary of another version); the message says what to run
     */
    @Override
    public PreparedRuntime prepare(String runtime, LambdaSettings settings) {
        return new PreparedNode(resolve(runtime));
    }

    NodeRuntime resolve(String runtime) {
        if (!RUNTIMES.contains(runtime)) {
            throw new IllegalArgumentException("runtime " + runtime + " is not a Node.js runtime: use one of " + RUNTIMES);
        }
        Properties entries = manifest.orElseThrow(() -> new IllegalArgumentException("runtime " + runtime
                + " is not installed: there is no Node.js runtimes manifest at " + manifestOrigin + "; " + INSTALL_HINT));
        Path node = installedFile(entries, runtime, "node");
        Path runtimeClient = installedFile(entries, runtime, "ric");
        String ricVersion = entries.getProperty(runtime + ".ricVersion", "unknown");
        String version = reportedVersion(node);
        int major = Integer.parseInt(version.split("\\.")[0]);
        if (major != NodeRuntime.requestedMajor(runtime)) {
            throw new IllegalArgumentException("runtime " + runtime + ": " + node + " is Node.js " + version
                    + ", not " + NodeRuntime.requestedMajor(runtime) + ".x; the manifest " + manifestOrigin
                    + " is stale: " + INSTALL_HINT);
        }
        return new NodeRuntime(runtime, node, version, runtimeClient, ricVersion);
    }

    private Path installedFile(Properties entries, String runtime, String key) {
        String value = entries.getProperty(runtime + "." + key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("runtime " + runtime + " is not installed: the manifest "
                    + manifestOrigin + " has no " + runtime + "." + key + "; " + INSTALL_HINT);
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("runtime " + runtime + " is not installed: " + file + " (" + runtime
                    + "." + key + " in " + manifestOrigin + ") does not exist; " + INSTALL_HINT);
        }
        return file;
    }

    /** Asks the binary itself, so what INIT_START reports is what runs. */
    private static String reportedVersion(Path node) {
        try {
            Process process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalArgumentException(node + " --version did not answer within 10 s");
            }
            if (process.exitValue() != 0 || !output.matches("v\\d+\\.\\d+\\.\\d+")) {
                throw new IllegalArgumentException(node + " --version answered '" + output + "' (exit "
                        + process.exitValue() + "): reinstall it; " + INSTALL_HINT);
            }
            return output.substring(1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + node + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + node + " for its version", e);
        }
    }

    /**
     * The options the managed Node.js runtimes start {@code node} with. Not documented by AWS; as the runtimes'
     * {@code /var/runtime/bootstrap} script is widely reported: {@code --expose-gc}, {@code --max-http-header-size
     * 81920}, and from the memory size M (MB) a young generation of M/10 split in two semi-spaces and an old
     * generation of M minus that.
     */
    static List<String> managedRuntimeOptions(int memorySizeMb) {
        int newSpace = memorySizeMb / 10;
        return List.of("--expose-gc", "--max-http-header-size", "81920",
                "--max-semi-space-size=" + newSpace / 2,
                "--max-old-space-size=" + (memorySizeMb - newSpace));
    }

    /** One installed Node.js runtime. */
    private static final class PreparedNode implements PreparedRuntime {
        private final NodeRuntime node;

        private PreparedNode(NodeRuntime node) {
            this.node = node;
        }

        @Override
        public RuntimeInstallation installation() {
            return node;
        }

        @Override
        public EnvironmentFootprint footprint() {
            return EnvironmentFootprint.NODE;
        }

        /**
         * The managed runtime's bootstrap also puts layer folders and the runtime's own modules on NODE_PATH (there
         * are neither here: the functions bring their SDK) and /var/lang/bin first on PATH.
         */
        @Override
        public ProcessLaunch launch(FunctionVersion function, InitializationType initializationType) {
            List<String> command = new ArrayList<>();
            command.add(node.node().toString());
            command.addAll(managedRuntimeOptions(function.memorySizeMb()));
            command.add(node.runtimeClient().toString());
            return new ProcessLaunch(command, Map.of(
                    "NODE_PATH", function.codeDirectory().toString(),
                    "LAMBDA_RUNTIME_DIR", node.runtimeClient().getParent().toString(),
                    "PATH", node.node().getParent() + ":" + ReservedVariables.DEFAULT_PATH));
        }

        @Override
        public String initStartDescription(FunctionVersion function) {
            return "Runtime Version: nodejs:" + NodeRuntime.requestedMajor(node.runtime()) + ".local\tNode.js: v"
                    + node.fullVersion() + " " + node.node() + "\tRuntime client: aws-lambda-ric "
                    + node.runtimeClientVersion();
        }
    }

    private static Properties load(InputStream in) throws IOException {
        Properties properties = new Properties();
        properties.load(in);
        return properties;
    }
}
