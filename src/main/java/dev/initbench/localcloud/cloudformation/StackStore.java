package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.state.StateFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * All stacks, live and deleted, under one lock; with a data folder every change is written to
 * {@code cloudformation/stacks.json} before the change is visible (and so before it is acknowledged).
 */
final class StackStore {

    /** The state file's document. */
    static final class State {
        public List<StackRecord> stacks = new ArrayList<>();
    }

    private final Map<String, StackRecord> stacksById = new LinkedHashMap<>();
    private final Optional<StateFile<State>> file;

    StackStore(Optional<Path> dataDirectory) {
        this.file = dataDirectory.map(directory ->
                new StateFile<>(directory.resolve("cloudformation").resolve("stacks.json"), State.class));
        file.flatMap(StateFile::read).ifPresent(state ->
                state.stacks.forEach(stack -> stacksById.put(stack.stackId, stack)));
    }

    /** Adds a new stack unless a live stack has its name. */
    synchronized void add(StackRecord stack) {
        if (find(stack.stackName).isPresent()) {
            throw new AwsServiceException("AlreadyExistsException", 400, "Stack [" + stack.stackName
                    + "] already exists");
        }
        stacksById.put(stack.stackId, stack);
        persist();
    }

    /** Applies a change to one stack and persists it. */
    synchronized void change(String stackId, Consumer<StackRecord> change) {
        change.accept(stacksById.get(stackId));
        persist();
    }

    /** Applies a change to one stack and persists it, if the stack passes the test; returns whether it did. */
    synchronized boolean changeIf(String stackId, java.util.function.Predicate<StackRecord> test,
                                  Consumer<StackRecord> change) {
        StackRecord stack = stacksById.get(stackId);
        if (!test.test(stack)) {
            return false;
        }
        change.accept(stack);
        persist();
        return true;
    }

    /** Applies a change to every stack and persists them (used once, when restoring). */
    synchronized void changeAll(Consumer<StackRecord> change) {
        stacksById.values().forEach(change);
        persist();
    }

    /** Reads under the lock; the function must copy what it returns. */
    synchronized <T> T read(Function<Map<String, StackRecord>, T> reader) {
        return reader.apply(stacksById);
    }

    /** Reads one stack by name (live stacks only) or stack id (deleted ones too), under the lock. */
    synchronized <T> T readStack(String nameOrId, Function<StackRecord, T> reader) {
        return reader.apply(find(nameOrId).orElseThrow(() -> missing(nameOrId)));
    }

    static AwsServiceException missing(String nameOrId) {
        return new AwsServiceException("ValidationError", 400, "Stack with id " + nameOrId + " does not exist");
    }

    synchronized Optional<StackRecord> find(String nameOrId) {
        StackRecord byId = stacksById.get(nameOrId);
        if (byId != null) {
            return Optional.of(byId);
        }
        return stacksById.values().stream()
                .filter(stack -> stack.stackName.equals(nameOrId) && !stack.isDeleted())
                .findFirst();
    }

    private void persist() {
        file.ifPresent(stateFile -> {
            State state = new State();
            state.stacks.addAll(stacksById.values());
            stateFile.write(state);
        });
    }
}
