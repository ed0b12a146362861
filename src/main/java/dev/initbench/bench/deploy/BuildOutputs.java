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

/** Finds what the Maven build produced for a run: the functions' deployment artifact and template.yaml. */
public final class BuildOutputs {

    /** System property naming the artifact (the Maven build sets it for tests). */
    public static final String ARTIFACT_PROPERTY = "lambda.artifact.path";
    static final String ARTIFACT_FILE = "initbench-functions.zip";

    private BuildOutputs() {
    }

    /**
     * The deployment artifact: the system property if set, else next to the running jar (target/), else
     * {@code target/} under the working directory.
     *
     * @throws DeploymentException naming the places looked at and the command that builds it
     */
    public static Path functionsArtifact() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(ARTIFACT_PROPERTY);
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        try {
            Path codeSource = Path.of(BuildOutputs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/classes (tests, IDE) or target/lambda-init-bench.jar: the artifact lies in target/ either way.
            candidates.add(codeSource.getParent().resolve(ARTIFACT_FILE));
        } catch (URISyntaxException | RuntimeException e) {
            // No usable code source: fall back to the working directory below.
        }
        candidates.add(Path.of("target", ARTIFACT_FILE));
        return candidates.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new DeploymentException("the Lambda deployment artifact was not found at "
                        + candidates + ": build it with ./mvnw -B package -DskipTests"));
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
