package dev.initbench.localcloud.lambda;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Node.js installation that serves a function's {@code Runtime}: the project's own install (see
 * {@link NodeRuntimeFamily}) of the Node.js binary and the official runtime interface client.
 *
 * @param runtime              the requested runtime, e.g. {@code nodejs22.x}
 * @param node                 the {@code node} binary
 * @param fullVersion          what that binary says it is ({@code node --version} without the {@code v})
 * @param runtimeClient        the runtime interface client's entry point ({@code aws-lambda-ric/index.mjs})
 * @param runtimeClientVersion the runtime interface client's version, e.g. {@code 4.0.2}
 */
public record NodeRuntime(String runtime, Path node, String fullVersion, Path runtimeClient,
                          String runtimeClientVersion) implements RuntimeInstallation {

    /** The Node.js major version of a runtime identifier: {@code nodejs22.x} → 22. */
    static int requestedMajor(String runtime) {
        return Integer.parseInt(runtime.substring("nodejs".length(), runtime.length() - ".x".length()));
    }

    /** The install folder of the binary ({@code <home>/bin/node}). */
    @Override
    public Path home() {
        return node.getParent().getParent();
    }

    /** Always empty: the project installs exactly the runtime asked for, or refuses (never a substitute). */
    @Override
    public Optional<String> substitution() {
        return Optional.empty();
    }
}
