package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;
import dev.initbench.localcloud.resource.StackInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs stack operations in the background, one at a time per stack: creation and update in dependency order
 * (independent resources concurrently), rollback or deletion in reverse dependency order, recording one event per
 * transition with the statuses CloudFormation emits.
 */
final class StackEngine {

    static final String STACK_TYPE = "AWS::CloudFormation::Stack";
    static final String REPLACEMENT_REASON =
            "Requested update requires the creation of a new physical resource; hence creating one.";
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

    /**
     * Creates the resources of a stack already stored as CREATE_IN_PROGRESS.
     *
     * @param changeSetId the change set being executed, whose execution status follows the outcome
     */
    void create(String stackId, Template template, StackScope scope, StackInfo stack, Optional<String> changeSetId) {
        submit(stackId, () -> finishChangeSet(stackId, changeSetId, runCreate(stackId, template, scope, stack)));
    }

    /**
     * Updates a stack already stored as UPDATE_IN_PROGRESS with the new template, parameters and outputs.
     *
     * @param previous        the stack's definition before, restored by a rollback
     * @param disableRollback a failure leaves the stack UPDATE_FAILED as it is instead of rolling back
     * @param changeSetId     the change set being executed, whose execution status follows the outcome
     */
    void update(String stackId, Template template, StackScope scope, StackInfo stack, StackRecord.Definition previous,
                boolean disableRollback, Optional<String> changeSetId) {
        submit(stackId, () -> finishChangeSet(stackId, changeSetId,
                runUpdate(stackId, template, scope, stack, previous, disableRollback)));
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
            boolean movedOn = store.read(stacks -> stacks.get(stackId).status) == StackStatus.DELETE_IN_PROGRESS;
            if (startedNow || movedOn || beginDeletion(stackId)) {
                finishDeletion(stackId, Deletion.DELETE);
            }
        });
    }

    private boolean beginDeletion(String stackId) {
        return store.changeIf(stackId, StackRecord::isDeletable,
                stack -> stack.recordStackEvent(StackStatus.DELETE_IN_PROGRESS, "User Initiated"));
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

    private void finishChangeSet(String stackId, Optional<String> changeSetId, boolean succeeded) {
        changeSetId.ifPresent(id -> store.change(stackId, stack -> stack.changeSet(id).ifPresent(changeSet ->
                changeSet.executionStatus = succeeded ? ExecutionStatus.EXECUTE_COMPLETE
                        : ExecutionStatus.EXECUTE_FAILED)));
    }

    // ---------------------------------------------------------------- create

    /** Returns whether the stack was created. */
    private boolean runCreate(String stackId, Template template, StackScope scope, StackInfo stack)
            throws InterruptedException {
        DependencyGraph.Outcome outcome = DependencyGraph.run(includedGraph(template, scope), executor,
                logicalId -> createResource(stackId, template.resources().get(logicalId), scope, stack), true);
        String failure;
        if (outcome.failed().isEmpty()) {
            try {
                List<StackRecord.OutputValue> outputs = outputs(template, scope);
                // One change, so no reader sees CREATE_COMPLETE settle when a DeleteStack is already waiting.
                store.change(stackId, record -> {
                    record.outputs = outputs;
                    record.recordStackEvent(StackStatus.CREATE_COMPLETE, null);
                    if (deletionsRequested.contains(stackId)) {
                        record.recordStackEvent(StackStatus.DELETE_IN_PROGRESS, "User Initiated");
                    }
                });
                return true;
            } catch (TemplateException e) {
                failure = e.getMessage();
            }
        } else {
            failure = "The following resource(s) failed to create: " + outcome.failed() + ". ";
        }
        String onFailure = store.read(stacks -> stacks.get(stackId).onFailure);
        switch (onFailure) {
            case "DO_NOTHING" -> stackEvent(stackId, StackStatus.CREATE_FAILED, failure);
            case "DELETE" -> {
                stackEvent(stackId, StackStatus.DELETE_IN_PROGRESS, failure);
                finishDeletion(stackId, Deletion.DELETE);
            }
            default -> {
                stackEvent(stackId, StackStatus.ROLLBACK_IN_PROGRESS, failure + "Rollback requested by user.");
                finishDeletion(stackId, Deletion.ROLLBACK);
            }
        }
        return false;
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
        resourceEvent(stackId, logicalId, ResourceStatus.CREATE_IN_PROGRESS, null);
        try {
            ResourceProvider provider = provider(definition.type());
            Map<String, Object> properties = properties(definition, provider, scope);
            ProvisionedResource created = provider.create(new ResourceRequest(logicalId, properties, stack));
            resourceEvent(stackId, logicalId, ResourceStatus.CREATE_COMPLETE, null, resource -> {
                resource.provisioned = created;
                resource.properties = new LinkedHashMap<>(properties);
            });
            return true;
        } catch (RuntimeException e) {
            resourceEvent(stackId, logicalId, ResourceStatus.CREATE_FAILED, failureReason(e, definition));
            return false;
        }
    }

    // ---------------------------------------------------------------- update

    /**
     * What an update did so far, so that its rollback can undo it: resources created, replaced (the previous
     * physical resource is kept until cleanup) and updated in place, with their state before.
     */
    private static final class UpdateJournal {
        final Deque<String> added = new ConcurrentLinkedDeque<>();
        final Map<String, StackRecord.Resource> replaced = new ConcurrentHashMap<>();
        /** Newest first. */
        final Deque<StackRecord.Resource> updatedInPlace = new ConcurrentLinkedDeque<>();
    }

    /** Returns whether the stack was updated. */
    private boolean runUpdate(String stackId, Template template, StackScope scope, StackInfo stack,
                              StackRecord.Definition previous, boolean disableRollback) throws InterruptedException {
        Map<String, Set<String>> graph = includedGraph(template, scope);
        Map<String, Set<String>> removed = store.read(stacks -> {
            Map<String, Set<String>> gone = new LinkedHashMap<>();
            stacks.get(stackId).resources.values().stream().filter(resource -> !graph.containsKey(resource.logicalId))
                    .forEach(resource -> gone.put(resource.logicalId, new LinkedHashSet<>(resource.dependencies)));
            return gone;
        });
        UpdateJournal journal = new UpdateJournal();
        DependencyGraph.Outcome outcome = DependencyGraph.run(graph, executor,
                logicalId -> updateResource(stackId, template.resources().get(logicalId), scope, stack, journal),
                true);
        String failure = null;
        List<StackRecord.OutputValue> outputs = List.of();
        if (outcome.failed().isEmpty()) {
            try {
                outputs = outputs(template, scope);
            } catch (TemplateException e) {
                failure = e.getMessage();
            }
        } else {
            List<String> notCreated = outcome.failed().stream().filter(journal.added::contains).toList();
            List<String> notUpdated = outcome.failed().stream().filter(id -> !journal.added.contains(id)).toList();
            failure = (notCreated.isEmpty() ? "" : "The following resource(s) failed to create: " + notCreated + ". ")
                    + (notUpdated.isEmpty() ? "" : "The following resource(s) failed to update: " + notUpdated
                    + ". ");
        }
        if (failure == null) {
            List<StackRecord.OutputValue> newOutputs = outputs;
            store.change(stackId, record -> {
                record.outputs = new ArrayList<>(newOutputs);
                record.recordStackEvent(StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, null);
            });
            deleteRemoved(stackId, removed);
            journal.replaced.values().forEach(old -> deletePhysical(stackId, old));
            stackEvent(stackId, StackStatus.UPDATE_COMPLETE, null);
            return true;
        }
        if (disableRollback) {
            stackEvent(stackId, StackStatus.UPDATE_FAILED, failure);
            return false;
        }
        stackEvent(stackId, StackStatus.UPDATE_ROLLBACK_IN_PROGRESS, failure);
        List<StackRecord.Resource> replacements = new ArrayList<>();
        boolean reverted = revert(stackId, stack, journal, replacements);
        String cause = failure;
        store.change(stackId, record -> {
            record.restore(previous);
            record.recordStackEvent(StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, null);
        });
        removeAdded(stackId, journal.added, replacements);
        // The stack keeps the cause of the rollback as its reason, so a failed waiter can show why.
        store.change(stackId, record -> {
            record.recordStackEvent(reverted ? StackStatus.UPDATE_ROLLBACK_COMPLETE
                    : StackStatus.UPDATE_ROLLBACK_FAILED, null);
            record.statusReason = cause;
        });
        return false;
    }

    private boolean updateResource(String stackId, Template.ResourceDefinition definition, StackScope scope,
                                   StackInfo stack, UpdateJournal journal) {
        String logicalId = definition.logicalId();
        Optional<StackRecord.Resource> existing = store.read(stacks ->
                Optional.ofNullable(stacks.get(stackId).resources.get(logicalId))
                        .filter(resource -> resource.provisioned != null)
                        .filter(resource -> resource.status != ResourceStatus.DELETE_COMPLETE)
                        .map(StackRecord.Resource::copy));
        if (existing.isEmpty()) {
            journal.added.add(logicalId);
            return createResource(stackId, definition, scope, stack);
        }
        StackRecord.Resource before = existing.get();
        Consumer<StackRecord.Resource> newAttributes = resource -> {
            resource.dependencies = new ArrayList<>(definition.dependencies());
            resource.deletionPolicy = definition.deletionPolicy();
        };
        boolean replacing = false;
        try {
            ResourceProvider provider = provider(definition.type());
            Map<String, Object> properties = properties(definition, provider, scope);
            if (properties.equals(before.properties)) {
                store.change(stackId, record -> newAttributes.accept(record.resources.get(logicalId)));
                return true;
            }
            ResourceRequest request = new ResourceRequest(logicalId, properties, stack);
            replacing = changedProperties(before.properties, properties).stream()
                    .anyMatch(property -> requiresReplacement(provider, property));
            ProvisionedResource result;
            if (replacing) {
                resourceEvent(stackId, logicalId, ResourceStatus.UPDATE_IN_PROGRESS, REPLACEMENT_REASON);
                result = provider.create(request);
                journal.replaced.put(logicalId, before);
                resourceEvent(stackId, logicalId, ResourceStatus.UPDATE_IN_PROGRESS, "Resource creation Initiated",
                        resource -> resource.provisioned = result);
            } else {
                resourceEvent(stackId, logicalId, ResourceStatus.UPDATE_IN_PROGRESS, null);
                // Journalled first: a failed update may have changed part of the resource, so rollback reverts it.
                journal.updatedInPlace.addFirst(before);
                result = provider.update(new ResourceUpdate(before.provisioned, before.properties, request));
            }
            resourceEvent(stackId, logicalId, ResourceStatus.UPDATE_COMPLETE, null, resource -> {
                resource.provisioned = result;
                resource.properties = new LinkedHashMap<>(properties);
                newAttributes.accept(resource);
            });
            return true;
        } catch (RuntimeException e) {
            resourceEvent(stackId, logicalId, ResourceStatus.UPDATE_FAILED, failureReason(e, definition));
            return false;
        }
    }

    /**
     * Undoes an update before its cleanup: in-place updates are applied backwards (newest first) with the previous
     * properties, and each replaced resource's previous physical resource becomes current again (the replacement
     * is added to {@code replacements}, for {@link #removeAdded}). Returns whether every resource was reverted.
     */
    private boolean revert(String stackId, StackInfo stack, UpdateJournal journal,
                           List<StackRecord.Resource> replacements) {
        boolean reverted = true;
        for (StackRecord.Resource before : journal.updatedInPlace) {
            StackRecord.Resource current = store.read(stacks ->
                    stacks.get(stackId).resources.get(before.logicalId).copy());
            resourceEvent(stackId, before.logicalId, ResourceStatus.UPDATE_IN_PROGRESS, null);
            try {
                ProvisionedResource restored = provider(before.type).update(new ResourceUpdate(current.provisioned,
                        current.properties, new ResourceRequest(before.logicalId, before.properties, stack)));
                resourceEvent(stackId, before.logicalId, ResourceStatus.UPDATE_COMPLETE, null, resource -> {
                    resource.provisioned = restored;
                    resource.properties = new LinkedHashMap<>(before.properties);
                    resource.dependencies = new ArrayList<>(before.dependencies);
                    resource.deletionPolicy = before.deletionPolicy;
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rollback of " + before.logicalId + " failed", e);
                resourceEvent(stackId, before.logicalId, ResourceStatus.UPDATE_FAILED,
                        e instanceof ResourceFailedException ? e.getMessage() : "Internal Failure: " + e);
                reverted = false;
            }
        }
        journal.replaced.forEach((logicalId, before) -> {
            ProvisionedResource replacement = store.read(stacks ->
                    stacks.get(stackId).resources.get(logicalId).provisioned);
            resourceEvent(stackId, logicalId, ResourceStatus.UPDATE_COMPLETE, null, resource -> {
                resource.provisioned = before.provisioned;
                resource.properties = new LinkedHashMap<>(before.properties);
                resource.dependencies = new ArrayList<>(before.dependencies);
                resource.deletionPolicy = before.deletionPolicy;
            });
            StackRecord.Resource replacementRecord = before.copy();
            replacementRecord.provisioned = replacement;
            replacements.add(replacementRecord);
        });
        return reverted;
    }

    /** The rollback's cleanup: deletes the resources the update added (newest first), then the replacements. */
    private void removeAdded(String stackId, Deque<String> added, List<StackRecord.Resource> replacements) {
        added.descendingIterator().forEachRemaining(logicalId -> {
            StackRecord.Resource resource = store.read(stacks -> stacks.get(stackId).resources.get(logicalId).copy());
            if (resource.provisioned != null) {
                deleteResource(stackId, logicalId);
            } else {
                resourceEvent(stackId, logicalId, ResourceStatus.DELETE_COMPLETE, null);
            }
            store.change(stackId, record -> record.resources.remove(logicalId));
        });
        replacements.forEach(replacement -> deletePhysical(stackId, replacement));
    }

    /** The update's cleanup: deletes the resources the new template no longer has, in reverse dependency order. */
    private void deleteRemoved(String stackId, Map<String, Set<String>> removed) throws InterruptedException {
        Set<String> toDelete = new LinkedHashSet<>();
        store.read(stacks -> {
            removed.keySet().forEach(logicalId -> {
                StackRecord.Resource resource = stacks.get(stackId).resources.get(logicalId);
                if (resource.provisioned != null && resource.status != ResourceStatus.DELETE_COMPLETE) {
                    toDelete.add(logicalId);
                }
            });
            return null;
        });
        removed.keySet().stream().filter(logicalId -> !toDelete.contains(logicalId)).forEach(logicalId ->
                resourceEvent(stackId, logicalId, ResourceStatus.DELETE_COMPLETE, null));
        DependencyGraph.run(DependencyGraph.reversed(removed, toDelete), executor, logicalId -> {
            String policy = store.read(stacks -> stacks.get(stackId).resources.get(logicalId).deletionPolicy);
            if (policy.equals("Delete")) {
                return deleteResource(stackId, logicalId);
            }
            resourceEvent(stackId, logicalId, ResourceStatus.DELETE_SKIPPED, null);
            return true;
        }, false);
        store.change(stackId, record -> removed.keySet().forEach(record.resources::remove));
    }

    /** Deletes a physical resource that is no longer the resource's current one, recording its events. */
    private void deletePhysical(String stackId, StackRecord.Resource resource) {
        physicalEvent(stackId, resource, ResourceStatus.DELETE_IN_PROGRESS, null);
        try {
            provider(resource.type).delete(resource.provisioned);
            physicalEvent(stackId, resource, ResourceStatus.DELETE_COMPLETE, null);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "provider of " + resource.type + " failed to delete " + resource.logicalId, e);
            physicalEvent(stackId, resource, ResourceStatus.DELETE_FAILED,
                    e instanceof ResourceFailedException ? e.getMessage() : "Internal Failure: " + e);
        }
    }

    static Set<String> changedProperties(Map<String, Object> before, Map<String, Object> after) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        names.removeIf(name -> Objects.equals(before.get(name), after.get(name)));
        return names;
    }

    static boolean requiresReplacement(ResourceProvider provider, String property) {
        return provider.createOnlyProperties().map(createOnly -> createOnly.contains(property)).orElse(true);
    }

    // ---------------------------------------------------------------- delete

    /** Why resources are being deleted: it decides the final statuses and which DeletionPolicy applies. */
    private enum Deletion {
        ROLLBACK(StackStatus.ROLLBACK_COMPLETE, StackStatus.ROLLBACK_FAILED),
        DELETE(StackStatus.DELETE_COMPLETE, StackStatus.DELETE_FAILED);

        final StackStatus complete;
        final StackStatus failed;

        Deletion(StackStatus complete, StackStatus failed) {
            this.complete = complete;
            this.failed = failed;
        }
    }

    /**
     * Deletes every created resource in reverse dependency order and ends the stack in the deletion's complete or
     * failed status.
     */
    private void finishDeletion(String stackId, Deletion kind) throws InterruptedException {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        Set<String> created = new LinkedHashSet<>();
        List<StackRecord.Resource> neverCreated = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        store.read(stacks -> {
            stacks.get(stackId).resources.values().forEach(resource -> {
                graph.put(resource.logicalId, new LinkedHashSet<>(resource.dependencies));
                boolean kept = resource.deletionPolicy.equals("Retain")
                        || (resource.deletionPolicy.equals("RetainExceptOnCreate") && kind == Deletion.DELETE);
                boolean live = resource.provisioned != null && resource.status != ResourceStatus.DELETE_COMPLETE;
                if (live && kept) {
                    retained.add(resource.logicalId);
                } else if (live) {
                    created.add(resource.logicalId);
                } else if (resource.status == ResourceStatus.CREATE_FAILED) {
                    neverCreated.add(resource);
                }
            });
            return null;
        });
        // Like AWS, a resource that failed to create is reported deleted; its provider holds nothing to delete.
        neverCreated.forEach(resource ->
                resourceEvent(stackId, resource.logicalId, ResourceStatus.DELETE_COMPLETE, null));
        retained.forEach(logicalId -> resourceEvent(stackId, logicalId, ResourceStatus.DELETE_SKIPPED, null));
        DependencyGraph.Outcome outcome = DependencyGraph.run(DependencyGraph.reversed(graph, created), executor,
                logicalId -> deleteResource(stackId, logicalId), false);
        List<String> notDeleted = new ArrayList<>(outcome.failed());
        notDeleted.addAll(outcome.notStarted());
        if (notDeleted.isEmpty() && kind == Deletion.ROLLBACK) {
            // The stack keeps the cause of the rollback as its reason, so a failed waiter can show why.
            store.change(stackId, stack -> {
                String cause = stack.statusReason;
                stack.recordStackEvent(kind.complete, null);
                stack.statusReason = cause;
            });
        } else if (notDeleted.isEmpty()) {
            stackEvent(stackId, kind.complete, null);
        } else {
            stackEvent(stackId, kind.failed, "The following resource(s) failed to delete: " + notDeleted + ". ");
        }
    }

    private boolean deleteResource(String stackId, String logicalId) {
        StackRecord.Resource resource = store.read(stacks -> stacks.get(stackId).resources.get(logicalId));
        ProvisionedResource provisioned = resource.provisioned;
        resourceEvent(stackId, logicalId, ResourceStatus.DELETE_IN_PROGRESS, null);
        try {
            provider(resource.type).delete(provisioned);
            resourceEvent(stackId, logicalId, ResourceStatus.DELETE_COMPLETE, null);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "provider of " + resource.type + " failed to delete " + logicalId, e);
            resourceEvent(stackId, logicalId, ResourceStatus.DELETE_FAILED,
                    e instanceof ResourceFailedException ? e.getMessage() : "Internal Failure: " + e);
            return false;
        }
    }

    // ---------------------------------------------------------------- shared

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

    static List<StackRecord.OutputValue> outputs(Template template, StackScope scope) {
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

    private static Map<String, Set<String>> includedGraph(Template template, StackScope scope) {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        template.resources().values().stream().filter(resource -> scope.included(resource.condition()))
                .forEach(resource -> graph.put(resource.logicalId(), resource.dependencies()));
        return graph;
    }

    /** The resource's properties resolved against the stack, failing it when a required one is missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Template.ResourceDefinition definition, ResourceProvider provider,
                                                  StackScope scope) {
        Map<String, Object> properties = (Map<String, Object>) Intrinsics.resolve(definition.properties(), scope);
        for (String required : new TreeSet<>(provider.requiredProperties())) {
            if (!properties.containsKey(required)) {
                throw new ResourceFailedException("Properties validation failed for resource "
                        + definition.logicalId() + " with message: #: required key [" + required + "] not found");
            }
        }
        return properties;
    }

    /** The event's {@code ResourceStatusReason} for a failed create or update. */
    private static String failureReason(RuntimeException e, Template.ResourceDefinition definition) {
        if (e instanceof ResourceFailedException || e instanceof TemplateException) {
            return e.getMessage();
        }
        if (e instanceof AwsServiceException aws) {
            return ResourceFailedException.handlerReturned(definition.type().split("::")[1], aws).getMessage();
        }
        LOG.log(Level.WARNING, "provider of " + definition.type() + " failed on " + definition.logicalId(), e);
        return "Internal Failure: " + e;
    }

    private void stackEvent(String stackId, StackStatus status, String reason) {
        store.change(stackId, stack -> stack.recordStackEvent(status, reason));
    }

    private void resourceEvent(String stackId, String logicalId, ResourceStatus status, String reason) {
        resourceEvent(stackId, logicalId, status, reason, resource -> { });
    }

    /** Records a transition of a resource already in the stack's record, after applying {@code change} to it. */
    private void resourceEvent(String stackId, String logicalId, ResourceStatus status, String reason,
                               Consumer<StackRecord.Resource> change) {
        store.change(stackId, stack -> {
            String now = Instant.now().toString();
            StackRecord.Resource resource = stack.resources.get(logicalId);
            change.accept(resource);
            resource.status = status;
            resource.statusReason = reason;
            resource.timestamp = now;
            String physicalId = Optional.ofNullable(resource.provisioned).map(ProvisionedResource::physicalId)
                    .orElse(null);
            stack.events.add(new StackRecord.Event(UUID.randomUUID().toString(), logicalId, physicalId, resource.type,
                    now, null, status, reason));
        });
    }

    /** Records an event of a physical resource that is not (or no longer) the resource's current one. */
    private void physicalEvent(String stackId, StackRecord.Resource resource, ResourceStatus status, String reason) {
        store.change(stackId, stack -> stack.events.add(new StackRecord.Event(UUID.randomUUID().toString(),
                resource.logicalId, resource.provisioned.physicalId(), resource.type, Instant.now().toString(), null,
                status, reason)));
    }
}
