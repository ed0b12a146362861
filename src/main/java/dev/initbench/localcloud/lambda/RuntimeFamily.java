package dev.initbench.localcloud.lambda;

import java.util.List;

/**
 * One family of managed runtimes (Java, Node.js): which runtime identifiers it serves and how the binary
 * serving one is chosen. What it chooses, a {@link PreparedRuntime}, knows how to launch an environment's process.
 * A new family is one implementation of this interface, registered in {@link RuntimeCatalog}.
 */
interface RuntimeFamily {

    /** The {@code Runtime} values this family serves, e.g. {@code java17}. */
    List<String> runtimes();

    /**
     * Chooses the installation that serves {@code runtime} (one of {@link #runtimes()}); a substitute is allowed
     * only with {@link RuntimeInstallation#substitution()} saying so.
     *
     * @throws IllegalArgumentException when the settings pin an unusable installation (the message names the fix)
     */
    PreparedRuntime prepare(String runtime, LambdaSettings settings);
}
