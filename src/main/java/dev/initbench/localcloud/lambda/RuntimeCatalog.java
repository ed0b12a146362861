package dev.initbench.localcloud.lambda;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime families the local cloud can run, and the installation chosen for each runtime (chosen once, and a
 * substitution logged once as a warning; each environment's INIT_START line states it again). Thread-safe.
 */
final class RuntimeCatalog {

    private final List<RuntimeFamily> families;
    private final LambdaSettings settings;
    private final Map<String, PreparedRuntime> prepared = new ConcurrentHashMap<>();

    RuntimeCatalog(List<RuntimeFamily> families, LambdaSettings settings) {
        this.families = List.copyOf(families);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Every supported {@code Runtime} value, family by family. */
    List<String> supported() {
        return families.stream().flatMap(family -> family.runtimes().stream()).toList();
    }

    /**
     * The chosen installation of {@code runtime}.
     *
     * @throws IllegalArgumentException for a runtime no family serves, or an unusable pinned installation
     */
    PreparedRuntime prepared(String runtime) {
        return prepared.computeIfAbsent(runtime == null ? "" : runtime, r -> {
            RuntimeFamily family = families.stream().filter(candidate -> candidate.runtimes().contains(r))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("runtime " + runtime
                            + " is not supported by the local cloud: use one of " + supported()));
            PreparedRuntime chosen = family.prepare(r, settings);
            chosen.installation().substitution().ifPresent(note -> System.getLogger(RuntimeCatalog.class.getName())
                    .log(System.Logger.Level.WARNING, "runtime " + r + ": " + note));
            return chosen;
        });
    }
}
