package dev.initbench.localcloud.cloudformation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Ordering over "node → the nodes it depends on" maps: cycle detection, and running an action on every node once
 * its dependencies have succeeded, independent nodes concurrently.
 */
final class DependencyGraph {

    /**
     * What a run did.
     *
     * @param succeeded  nodes whose action succeeded, in completion order
     * @param failed     nodes whose action failed
     * @param notStarted nodes never started (a dependency failed, or the run stopped after a failure)
     */
    record Outcome(List<String> succeeded, List<String> failed, List<String> notStarted) {
    }

    private DependencyGraph() {
    }

    /** Rejects a cycle, naming the nodes on or behind it, in the given order. */
    static void requireAcyclic(Map<String, Set<String>> graph, String kind) {
        order(graph, kind);
    }

    /**
     * The nodes in an order where each comes after its dependencies (ties in the given order); rejects a cycle as
     * {@link #requireAcyclic} does.
     */
    static List<String> order(Map<String, Set<String>> graph, String kind) {
        Set<String> done = new LinkedHashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, Set<String>> node : graph.entrySet()) {
                if (!done.contains(node.getKey()) && done.containsAll(node.getValue().stream()
                        .filter(graph::containsKey).toList())) {
                    done.add(node.getKey());
                    progress = true;
                }
            }
        }
        if (done.size() < graph.size()) {
            List<String> cycle = graph.keySet().stream().filter(node -> !done.contains(node)).toList();
            String message = "Circular dependency between " + kind + ": " + cycle;
            throw kind.equals("resources") ? new TemplateException(message) : TemplateException.format(message);
        }
        return List.copyOf(done);
    }

    /** The graph with every edge turned around, restricted to the given nodes: the order for deleting them. */
    static Map<String, Set<String>> reversed(Map<String, Set<String>> graph, Set<String> nodes) {
        Map<String, Set<String>> reversed = new LinkedHashMap<>();
        nodes.forEach(node -> reversed.put(node, new LinkedHashSet<>()));
        graph.forEach((node, dependencies) -> {
            if (nodes.contains(node)) {
                dependencies.stream().filter(nodes::contains).forEach(dependency -> reversed.get(dependency).add(node));
            }
        });
        return reversed;
    }

    /**
     * Runs {@code action} on each node after all of its dependencies (within the graph) succeeded; nodes whose
     * dependencies are done run concurrently on the executor. A node whose dependency failed is not started; with
     * {@code stopAfterFailure} no node is started after the first failure (those running are awaited).
     *
     * @param action returns whether the node succeeded; it must not throw
     */
    static Outcome run(Map<String, Set<String>> graph, Executor executor, Predicate<String> action,
                       boolean stopAfterFailure) throws InterruptedException {
        Map<String, Set<String>> waitingFor = new HashMap<>();
        graph.forEach((node, dependencies) -> waitingFor.put(node, new LinkedHashSet<>(
                dependencies.stream().filter(graph::containsKey).toList())));
        CompletionService<Map.Entry<String, Boolean>> completions = new ExecutorCompletionService<>(executor);
        List<String> succeeded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        int running = 0;
        for (String node : graph.keySet()) {
            if (waitingFor.get(node).isEmpty()) {
                submit(completions, node, action);
                started.add(node);
                running++;
            }
        }
        while (running > 0) {
            Map.Entry<String, Boolean> result;
            try {
                result = completions.take().get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("resource action threw instead of reporting failure", e.getCause());
            }
            running--;
            String node = result.getKey();
            if (!result.getValue()) {
                failed.add(node);
                continue;
            }
            succeeded.add(node);
            if (stopAfterFailure && !failed.isEmpty()) {
                continue;
            }
            for (String candidate : graph.keySet()) {
                Set<String> waiting = waitingFor.get(candidate);
                if (waiting.remove(node) && waiting.isEmpty() && !started.contains(candidate)) {
                    submit(completions, candidate, action);
                    started.add(candidate);
                    running++;
                }
            }
        }
        List<String> notStarted = graph.keySet().stream().filter(node -> !started.contains(node)).toList();
        return new Outcome(succeeded, failed, notStarted);
    }

    private static void submit(CompletionService<Map.Entry<String, Boolean>> completions, String node,
                               Predicate<String> action) {
        completions.submit(() -> Map.entry(node, action.test(node)));
    }
}
