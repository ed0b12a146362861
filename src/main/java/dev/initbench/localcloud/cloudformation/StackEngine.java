package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.StackInfo;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs stack operations in the background, one at a time per stack: creation in dependency order (independent
 * resources concurrently), rollback or deletion in reverse dependency order, recording one event per transition.
 */
final class StackEngine {

    static final String STACK_TYPE = "AWS::CloudFormation::Stack";
    private static final Logger LOG = Logger.getLogger(StackEngine.class.getName());

    private final StackStore store;
    private final Map<String, ResourceProvider> providers;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Void>> operations = new ConcurrentHashMap<>();
    /** Stacks whose DeleteStack arrived while they were being created. */
    private final Set<String> deletionsRequested = ConcurrentHashMap.newKeySet();

    StackEngine(StackStore store, Map<String, ResourceProvider> providers, ExecutorService executor) {
        this.store = store;
        this.providers = providers;
        this.executor = executor;
    }

    /** Creates the resources of a stack already stored as CREATE_IN_PROGRESS. */
    void create(String stackId, Template template, StackScope scope, StackInfo stack) {
        submit(stackId, () -> runCreate(stackId, template, scope, stack));
    }

    /**
     * Deletes a stack's resources. A settled stack shows DELETE_IN_PROGRESS before this returns (as on AWS, so a
     * delete waiter's first poll sees it); a stack with an operation running is deleted once that has finished.
     */
    void delete(String stackId) {
        boolean startedNow = beginDeletion(stackId);
        if (!startedNow) {
            deletionsRequested.add(stackId);
        }
        submit(stackId, () -> {
            deletionsRequested.remove(stackId);
            // A creation that completed with a deletion requested already moved on to DELETE_IN_PROGRESS.
            boolean movedOn = "DELETE_IN_PROGRESS".equals(store.read(stacks -> stacks.get(stackId).status));
            if (startedNow || movedOn || beginDeletion(stackId)) {
                finishDeletion(stackId, "DELETE");
            }
        });
    }

    private boolean beginDeletion(String stackId) {
        return store.changeIf(stackId, StackRecord::isDeletable,
                stack -> stack.recordStackEvent("DELETE_IN_PROGRESS", "User Initiated"));
    }

    private interface Operation {
        void run() throws InterruptedException;
    }

    private void submit(String stackId, Operation operation) {
        operations.compute(stackId, (id, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous).thenRunAsync(() -> {
                    try {
                        operation.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.log(Level.SEVERE, "stack operation on " + stackId + " failed", e);
                    }
                }, executor));
    }

    private void runCreate(String stackId, Template template, StackScope scope, StackInfo stack)
            throws InterruptedException {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        template.resources().values().stream().filter(resource -> scope.included(resource.condition()))
                .forEach(resource -> graph.put(resource.logicalId(), resource.dependencies()));
        DependencyGraph.Outcome outcome = DependencyGraph.run(graph, executor,
                logicalId -> createResource(stackId, template.resources().get(logicalId), scope, stack), true);
        String failure;
        if (outcome.failed().isEmpty()) {
            try {
                List<StackRecord.OutputValue> outputs = outputs(template, scope);
                // One change, so no reader sees CREATE_COMPLETE settle when a DeleteStack is already waiting.
                store.change(stackId, record -> {
                    record.outputs = outputs;
                    record.recordStackEvent("CREATE_COMPLETE", null);
                    if (deletionsRequested.contains(stackId)) {
                        record.recordStackEvent("DELETE_IN_PROGRESS", "User Initiated");
                    }
                });
                return;
            } catch (TemplateException e) {
                failure = e.getMessage();
            }
        } else {
            failure = "The following resource(s) failed to create: " + outcome.failed() + ". ";
        }
        String onFailure = store.read(stacks -> stacks.get(stackId).onFailure);
        switch (onFailure) {
            case "DO_NOTHING" -> stackEvent(stackId, "CREATE_FAILED", failure);
            case "DELETE" -> {
                stackEvent(stackId, "DELETE_IN_PROGRESS", failure);
                finishDeletion(stackId, "DELETE");
            }
            default -> {
                stackEvent(stackId, "ROLLBACK_IN_PROGRESS", failure + "Rollback requested by user.");
                finishDeletion(stackId, "ROLLBACK");
            }
        }
    }

    private boolean createResource(String stackId, Template.ResourceDefinition definition, StackScope scope,
                                   StackInfo stack) {
        String logicalId = definition.logicalId();
        store.change(stackId, record -> {
            StackRecord.Resource resource = new StackRecord.Resource();
            resource.logicalId = logicalId;
            resource.type = definition.type();
            resource.dependencies.addAll(definition.dependencies());
            resource.deletionPolicy = definition.deletionPolicy();
            record.resources.put(logicalId, resource);
        });
        resourceEvent(stackId, logicalId, "CREATE_IN_PROGRESS", null, null);
        String reason;
        try {
            ResourceProvider provider = provider(definition.type());
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) Intrinsics.resolve(definition.properties(), scope);
            for (String required : new TreeSet<>(provider.requiredProperties())) {
                if (!properties.containsKey(required)) {
                    throw new ResourceFailedException("Properties validation failed for resource " + logicalId
                            + " with message: #: required key [" + required + "] not found");
                }
            }
            ProvisionedResource created = provider.create(new ResourceRequest(logicalId, properties, stack));
            resourceEvent(stackId, logicalId, "CREATE_COMPLETE", null, created);
            return true;
        } catch (ResourceFailedException | TemplateException e) {
            reason = e.getMessage();
        } catch (AwsServiceException e) {
            reason = ResourceFailedException.handlerReturned(definition.type().split("::")[1], e).getMessage();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "provider of " + definition.type() + " failed on " + logicalId, e);
            reason = "Internal Failure: " + e;
        }
        resourceEvent(stackId, logicalId, "CREATE_FAILED", reason, null);
        return false;
    }

    /**
     * Deletes every created resource in reverse dependency order and ends the stack in {@code <kind>_COMPLETE}
     * or {@code <kind>_FAILED} (kind ROLLBACK or DELETE).
     */
    private void finishDeletion(String stackId, String kind) throws InterruptedException {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        Set<String> created = new LinkedHashSet<>();
        List<StackRecord.Resource> neverCreated = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        store.read(stacks -> {
            stacks.get(stackId).resources.values().forEach(resource -> {
                graph.put(resource.logicalId, new LinkedHashSet<>(resource.dependencies));
                boolean kept = resource.deletionPolicy.equals("Retain")
                        || (resource.deletionPolicy.equals("RetainExceptOnCreate") && kind.equals("DELETE"));
                if (resource.provisioned != null && !resource.status.equals("DELETE_COMPLETE") && kept) {
                    retained.add(resource.logicalId);
                } else if (resource.provisioned != null && !resource.status.equals("DELETE_COMPLETE")) {
                    created.add(resource.logicalId);
                } else if (resource.status.equals("CREATE_FAILED")) {
                    neverCreated.add(resource);
                }
            });
            return null;
        });
        // Like AWS, a resource that failed to create is reported deleted; its provider holds nothing to delete.
        neverCreated.forEach(resource -> resourceEvent(stackId, resource.logicalId, "DELETE_COMPLETE", null, null));
        retained.forEach(logicalId -> resourceEvent(stackId, logicalId, "DELETE_SKIPPED", null, null));
        DependencyGraph.Outcome outcome = DependencyGraph.run(DependencyGraph.reversed(graph, created), executor,
                logicalId -> deleteResource(stackId, logicalId), false);
        List<String> notDeleted = new ArrayList<>(outcome.failed());
        notDeleted.addAll(outcome.notStarted());
        if (notDeleted.isEmpty() && kind.equals("ROLLBACK")) {
            // The stack keeps the cause of the rollback as its reason, so a failed waiter can show why.
            store.change(stackId, stack -> {
                String cause = stack.statusReason;
                stack.recordStackEvent("ROLLBACK_COMPLETE", null);
                stack.statusReason = cause;
            });
        } else if (notDeleted.isEmpty()) {
            stackEvent(stackId, kind + "_COMPLETE", null);
        } else {
            stackEvent(stackId, kind + "_FAILED", "The following resource(s) failed to delete: " + notDeleted + ". ");
        }
    }

    private boolean deleteResource(String stackId, String logicalId) {
        StackRecord.Resource resource = store.read(stacks -> stacks.get(stackId).resources.get(logicalId));
        ProvisionedResource provisioned = resource.provisioned;
        resourceEvent(stackId, logicalId, "DELETE_IN_PROGRESS", null, null);
        try {
            provider(resource.type).delete(provisioned);
            resourceEvent(stackId, logicalId, "DELETE_COMPLETE", null, null);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "provider of " + resource.type + " failed to delete " + logicalId, e);
            resourceEvent(stackId, logicalId, "DELETE_FAILED",
                    e instanceof ResourceFailedException ? e.getMessage() : "Internal Failure: " + e, null);
            return false;
        }
    }

    /**
     * Refuses an {@code Fn::GetAtt} (or dotted {@code Fn::Sub} variable) of an attribute the resource's type does not
     * have, before anything is created, with CloudFormation's message.
     */
    void requireKnownAttributes(Template template) {
        List<Intrinsics.Attribute> attributes = new ArrayList<>();
        template.resources().values().forEach(resource ->
                attributes.addAll(Intrinsics.references(resource.properties()).attributes()));
        template.outputs().values().forEach(output ->
                attributes.addAll(Intrinsics.references(output.value()).attributes()));
        for (Intrinsics.Attribute attribute : attributes) {
            String type = template.resources().get(attribute.logicalId()).type();
            Optional<Set<String>> known = Optional.ofNullable(providers.get(type))
                    .flatMap(ResourceProvider::attributeNames);
            if (known.isPresent() && !known.get().contains(attribute.name())) {
                throw TemplateException.evaluation("resource " + attribute.logicalId()
                        + " does not support attribute type " + attribute.name() + " in Fn::GetAtt");
            }
        }
    }

    private ResourceProvider provider(String type) {
        ResourceProvider provider = providers.get(type);
        if (provider == null) {
            throw new ResourceFailedException("Resource type " + type + " is not supported by the local cloud");
        }
        return provider;
    }

    private static List<StackRecord.OutputValue> outputs(Template template, StackScope scope) {
        List<StackRecord.OutputValue> outputs = new ArrayList<>();
        for (Template.OutputDefinition output : template.outputs().values()) {
            if (!scope.included(output.condition())) {
                continue;
            }
            Object value = Intrinsics.resolve(output.value(), scope);
            if (value instanceof List<?> || value instanceof Map<?, ?>) {
                throw TemplateException.evaluation("the Value of output " + output.key() + " must resolve to a "
                        + "string, not " + value + " (use Fn::Join for a list)");
            }
            String text = Intrinsics.scalarText(value);
            String exportName = output.exportName()
                    .map(name -> Intrinsics.scalarText(Intrinsics.resolve(name, scope))).orElse(null);
            outputs.add(new StackRecord.OutputValue(output.key(), text, output.description().orElse(null), exportName));
        }
        return outputs;
    }

    private void stackEvent(String stackId, String status, String reason) {
        store.change(stackId, stack -> stack.recordStackEvent(status, reason));
    }

    /** Records a transition of a resource already in the stack's record. */
    private void resourceEvent(String stackId, String logicalId, String status, String reason,
                               ProvisionedResource provisioned) {
        store.change(stackId, stack -> {
            String now = Instant.now().toString();
            StackRecord.Resource resource = stack.resources.get(logicalId);
            if (provisioned != null) {
                resource.provisioned = provisioned;
            }
            resource.status = status;
            resource.statusReason = reason;
            resource.timestamp = now;
            String physicalId = Optional.ofNullable(resource.provisioned).map(ProvisionedResource::physicalId)
                    .orElse(null);
            stack.events.add(new StackRecord.Event(UUID.randomUUID().toString(), logicalId, physicalId, resource.type,
                    now, status, reason));
        });
    }
}
