package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The JDK that serves a function's {@code Runtime}: a matching installed JDK when one is found, else the JDK the
 * local cloud runs on, with {@link #substitution()} saying so (never a silent substitution).
 *
 * @param runtime        the requested runtime, e.g. {@code java21}
 * @param javaHome       the JDK home that serves it
 * @param featureVersion that JDK's feature version (17, 21, 25, ...)
 * @param fullVersion    that JDK's {@code JAVA_VERSION}, e.g. {@code 17.0.15}
 * @param substitution   empty when the JDK matches the runtime; else why another one serves it
 */
public record JavaRuntime(String runtime, Path javaHome, int featureVersion, String fullVersion,
                          Optional<String> substitution) implements RuntimeInstallation {

    /** The runtimes this local cloud can run. */
    public static final List<String> SUPPORTED = List.of("java17", "java21", "java25");

    @Override
    public Path home() {
        return javaHome;
    }

    /** The {@code java} launcher of this JDK. */
    public Path javaExecutable() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** The runtime's Java feature version: {@code java21} → 21. */
    static int requestedFeature(String runtime) {
        if (runtime == null || !SUPPORTED.contains(runtime)) {
            throw new IllegalArgumentException("runtime " + runtime + " is not supported by the local cloud: use one of "
                    + SUPPORTED);
        }
        return Integer.parseInt(runtime.substring("java".length()));
    }

    /** Finds the JDK for {@code runtime}: the pinned home, else a match in the search directory, else this JVM's. */
    static JavaRuntime resolve(String runtime, LambdaSettings settings) {
        int wanted = requestedFeature(runtime);
        Path pinned = settings.runtimeJdks().get(runtime);
        if (pinned != null) {
            Optional<JavaRuntime> found = describe(runtime, pinned);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("the JDK pinned for " + runtime + " (" + pinned
                        + ") has no readable release file or bin/java: fix LambdaSettings.runtimeJdk");
            }
            return found.get();
        }
        Optional<JavaRuntime> match = Optional.empty();
        if (Files.isDirectory(settings.jdkSearchDirectory())) {
            try (Stream<Path> homes = Files.list(settings.jdkSearchDirectory())) {
                match = homes.sorted().map(home -> describe(runtime, home)).flatMap(Optional::stream)
                        .filter(jdk -> jdk.featureVersion() == wanted).findFirst();
            } catch (IOException e) {
                match = Optional.empty();
            }
        }
        if (match.isPresent()) {
            return match.get();
        }
        JavaRuntime current = describe(runtime, Path.of(System.getProperty("java.home")))
                .orElseThrow(() -> new IllegalStateException("cannot describe the running JDK "
                        + System.getProperty("java.home")));
        return new JavaRuntime(runtime, current.javaHome(), current.featureVersion(), current.fullVersion(),
                Optional.of("no JDK " + wanted + " found in " + settings.jdkSearchDirectory()
                        + "; served by the local cloud's own JDK " + current.fullVersion()));
    }

    private static Optional<JavaRuntime> describe(String runtime, Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
        if (version.isEmpty()) {
            return Optional.empty();
        }
        int feature = Integer.parseInt(version.split("[.+-]")[0]);
        int wanted = requestedFeature(runtime);
        Optional<String> substitution = feature == wanted ? Optional.empty()
                : Optional.of("JDK " + version + " at " + home + " serves " + runtime);
        return Optional.of(new JavaRuntime(runtime, realPath(home), feature, version, substitution));
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath();
        }
    }
}
