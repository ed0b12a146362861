package dev.initbench.localcloud.ssm;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.state.StateFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SSM parameters of one local cloud with all their versions. With a data folder every change is written to
 * {@code ssm-parameters.json} before the call returns, and the store starts from that file. Thread-safe.
 */
public final class ParameterStore {

    /** One version of a parameter. */
    public record ParameterVersion(String name, String type, String value, long version, long lastModifiedMillis,
                                   String description, String dataType, String keyId) {
    }

    /** The persisted form: every version of every parameter, oldest first per name. */
    public record State(List<ParameterVersion> versions) {
    }

    private final Map<String, List<ParameterVersion>> byName = new TreeMap<>();
    private final Optional<StateFile<State>> stateFile;

    public ParameterStore(Optional<Path> dataDirectory) {
        this.stateFile = dataDirectory.map(dir -> new StateFile<>(dir.resolve("ssm-parameters.json"), State.class));
        stateFile.flatMap(StateFile::read).ifPresent(state -> state.versions()
                .forEach(v -> byName.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(v)));
    }

    /** The latest version, if the parameter exists. */
    public synchronized Optional<ParameterVersion> latest(String name) {
        List<ParameterVersion> versions = byName.get(name);
        return versions == null ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    public synchronized List<ParameterVersion> history(String name) {
        return List.copyOf(byName.getOrDefault(name, List.of()));
    }

    /** Latest versions of all parameters, sorted by name. */
    public synchronized List<ParameterVersion> all() {
        List<ParameterVersion> latest = new ArrayList<>();
        byName.values().forEach(versions -> latest.add(versions.get(versions.size() - 1)));
        return latest;
    }

    /**
     * Stores a new version.
     *
     * @throws AwsServiceException {@code ParameterAlreadyExists} when it exists and {@code overwrite} is false
     */
    public synchronized ParameterVersion put(String name, String type, String value, boolean overwrite,
                                             String description, String dataType, String keyId) {
        List<ParameterVersion> versions = byName.get(name);
        if (versions != null && !overwrite) {
            throw new AwsServiceException("ParameterAlreadyExists", 400, "The parameter " + name
                    + " already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        long version = versions == null ? 1 : versions.get(versions.size() - 1).version() + 1;
        String keptDescription = description == null && versions != null
                ? versions.get(versions.size() - 1).description() : description;
        ParameterVersion stored = new ParameterVersion(name, type, value, version, System.currentTimeMillis(),
                keptDescription, dataType, keyId);
        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(stored);
        persist();
        return stored;
    }

    /** Removes the parameter with all versions; false when there was none. */
    public synchronized boolean delete(String name) {
        boolean removed = byName.remove(name) != null;
        if (removed) {
            persist();
        }
        return removed;
    }

    private void persist() {
        stateFile.ifPresent(file -> {
            List<ParameterVersion> versions = new ArrayList<>();
            byName.values().forEach(versions::addAll);
            file.write(new State(versions));
        });
    }
}
