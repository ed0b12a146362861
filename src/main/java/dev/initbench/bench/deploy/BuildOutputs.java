package dev.initbench.bench.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds what the Maven build produced for a run: the functions' deployment artifacts and template.yaml. */
public final class BuildOutputs {

    /** System property naming the artifact (the Maven build sets it for tests). */
    public static final String ARTIFACT_PROPERTY = "lambda.artifact.path";
    static final String ARTIFACT_FILE = "initbench-functions.zip";
    /** System property naming the Node.js functions' artifact (the Maven build sets it for tests). */
    public static final String NODE_ARTIFACT_PROPERTY = "nodejs.functions.artifact.path";
    static final String NODE_ARTIFACT_FILE = "initbench-nodejs-functions.zip";

    private BuildOutputs() {
    }

    /**
     * The Java functions' deployment artifact: the system property if set, else next to the running jar (target/),
     * else {@code target/} under the working directory.
     *
     * @throws DeploymentException naming the places looked at and the command that builds it
     */
    public static Path functionsArtifact() {
        return find(ARTIFACT_PROPERTY, ARTIFACT_FILE).orElseThrow(() -> notFound("Lambda deployment artifact",
                ARTIFACT_PROPERTY, ARTIFACT_FILE));
    }

    /** The Node.js functions' artifact, looked for like {@link #functionsArtifact()}; empty when not built. */
    public static Optional<Path> nodeFunctionsArtifact() {
        return find(NODE_ARTIFACT_PROPERTY, NODE_ARTIFACT_FILE);
    }

    private static Optional<Path> find(String property, String file) {
        return candidates(property, file).stream().filter(Files::isRegularFile).findFirst();
    }

    private static DeploymentException notFound(String what, String property, String file) {
        return new DeploymentException("the " + what + " was not found at " + candidates(property, file)
                + ": build it with ./mvnw -B package -DskipTests");
    }

    private static List<Path> candidates(String property, String file) {
        List<Path> candidates = new ArrayList<>();
        String value = System.getProperty(property);
        if (value != null && !value.isBlank()) {
            candidates.add(Path.of(value));
        }
        try {
            Path codeSource = Path.of(BuildOutputs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/classes (tests, IDE) or target/lambda-init-bench.jar: the artifacts lie in target/ either way.
            candidates.add(codeSource.getParent().resolve(file));
        } catch (URISyntaxException | RuntimeException e) {
            // No usable code source: fall back to the working directory below.
        }
        candidates.add(Path.of("target", file));
        return candidates;
    }

    /** The text of template.yaml as packaged with the benchmark. */
    public static String templateBody() {
        try (InputStream in = BuildOutputs.class.getResourceAsStream("/template.yaml")) {
            if (in == null) {
                throw new DeploymentException("template.yaml is not on the classpath: rebuild with ./mvnw -B package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template.yaml from the classpath", e);
        }
    }
}
