package dev.initbench.localcloud.lambda;

import java.nio.file.Path;
import java.util.Optional;

/** The installed runtime (a JDK, a Node.js) that serves a function's {@code Runtime}, as reports show it. */
public interface RuntimeInstallation {

    /** The requested runtime, e.g. {@code java21}. */
    String runtime();

    /** Where the installation lives. */
    Path home();

    /** Its full version, e.g. {@code 21.0.7}. */
    String fullVersion();

    /** Empty when it matches the requested runtime; else why another one serves it (never silent). */
    Optional<String> substitution();
}
