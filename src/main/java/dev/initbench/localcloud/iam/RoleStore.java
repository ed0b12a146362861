package dev.initbench.localcloud.iam;

import dev.initbench.localcloud.state.StateFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The IAM roles of one local cloud with their trust policy, inline policies and attached managed policy ARNs.
 * With a data folder every change is written to {@code iam-roles.json} before the call returns. Thread-safe.
 */
public final class RoleStore {

    /** One role; immutable, replaced on change. Policy documents are kept as the JSON text that was given. */
    public record Role(String roleName, String roleId, String path, String arn, long createdMillis,
                       String assumeRolePolicyDocument, String description, int maxSessionDuration,
                       Map<String, String> inlinePolicies, List<String> attachedPolicyArns,
                       Map<String, String> tags) {

        public Role {
            inlinePolicies = Map.copyOf(inlinePolicies);
            attachedPolicyArns = List.copyOf(attachedPolicyArns);
            tags = Map.copyOf(tags);
        }
    }

    /** The persisted form. */
    public record State(List<Role> roles) {
    }

    private final Map<String, Role> roles = new TreeMap<>();
    private final Optional<StateFile<State>> stateFile;

    public RoleStore(Optional<Path> dataDirectory) {
        this.stateFile = dataDirectory.map(dir -> new StateFile<>(dir.resolve("iam-roles.json"), State.class));
        stateFile.flatMap(StateFile::read).ifPresent(state -> state.roles().forEach(r -> roles.put(r.roleName(), r)));
    }

    public synchronized Optional<Role> get(String roleName) {
        return Optional.ofNullable(roles.get(roleName));
    }

    public synchronized List<Role> all() {
        return new ArrayList<>(roles.values());
    }

    /** Adds the role; false when one with that name exists. */
    public synchronized boolean add(Role role) {
        if (roles.putIfAbsent(role.roleName(), role) != null) {
            return false;
        }
        persist();
        return true;
    }

    /** Replaces an existing role. */
    public synchronized void replace(Role role) {
        roles.put(role.roleName(), role);
        persist();
    }

    public synchronized boolean remove(String roleName) {
        boolean removed = roles.remove(roleName) != null;
        if (removed) {
            persist();
        }
        return removed;
    }

    private void persist() {
        stateFile.ifPresent(file -> file.write(new State(new ArrayList<>(roles.values()))));
    }
}
