package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stack as the service keeps and persists it (plain fields so the state file can write and read it back).
 * Guarded by the {@link StackStore}'s lock. Timestamps are ISO-8601 text.
 */
final class StackRecord {

    /** One parameter value as DescribeStacks shows it ({@code noEcho} ones masked). */
    record ParameterValue(String key, String value, boolean noEcho) {
    }

    record OutputValue(String key, String value, String description, String exportName) {
    }

    /** One stack event: of the stack itself ({@code stackStatus} set) or of one resource ({@code resourceStatus}). */
    record Event(String eventId, String logicalResourceId, String physicalResourceId, String resourceType,
                 String timestamp, StackStatus stackStatus, ResourceStatus resourceStatus,
                 String resourceStatusReason) {

        /** The wire value of {@code ResourceStatus}, which for a stack's own event is the stack's status. */
        String statusName() {
            return stackStatus != null ? stackStatus.name() : resourceStatus.name();
        }
    }

    /**
     * One resource of the stack; {@code provisioned} is set once its provider created it, {@code properties} (its
     * properties as resolved for that creation or its last update) once it was created or updated.
     */
    static final class Resource {
        public String logicalId;
        public String type;
        public ResourceStatus status;
        public String statusReason;
        public String timestamp;
        public ProvisionedResource provisioned;
        public Map<String, Object> properties = new LinkedHashMap<>();
        public List<String> dependencies = new ArrayList<>();
        public String deletionPolicy = "Delete";

        Resource copy() {
            Resource copy = new Resource();
            copy.logicalId = logicalId;
            copy.type = type;
            copy.status = status;
            copy.statusReason = statusReason;
            copy.timestamp = timestamp;
            copy.provisioned = provisioned;
            copy.properties = new LinkedHashMap<>(properties);
            copy.dependencies = new ArrayList<>(dependencies);
            copy.deletionPolicy = deletionPolicy;
            return copy;
        }
    }

    /** One change set of the stack, kept (and persisted) until it is deleted or the stack is. */
    static final class ChangeSet {
        public String changeSetId;
        public String changeSetName;
        public ChangeSetType type;
        public String description;
        public String templateBody;
        public String creationTime;
        public ChangeSetStatus status;
        public String statusReason;
        public ExecutionStatus executionStatus;
        public List<ParameterValue> parameters = new ArrayList<>();
        public List<String> capabilities = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
        public List<ResourceChange> changes = new ArrayList<>();
    }

    public String stackId;
    public String stackName;
    public String description;
    public String templateBody;
    public StackStatus status;
    public String statusReason;
    public String creationTime;
    public String lastUpdatedTime;
    public String deletionTime;
    public boolean disableRollback;
    public String onFailure;
    public List<ParameterValue> parameters = new ArrayList<>();
    public List<String> capabilities = new ArrayList<>();
    public Map<String, String> tags = new LinkedHashMap<>();
    public List<OutputValue> outputs = new ArrayList<>();
    public Map<String, Resource> resources = new LinkedHashMap<>();
    /** Oldest first; rendered newest first. */
    public List<Event> events = new ArrayList<>();
    /** Oldest first. */
    public List<ChangeSet> changeSets = new ArrayList<>();

    /** What an update changes about the stack besides its resources, and what its rollback restores. */
    record Definition(String templateBody, String description, List<ParameterValue> parameters,
                      List<String> capabilities, Map<String, String> tags, List<OutputValue> outputs) {
    }

    Definition definition() {
        return new Definition(templateBody, description, List.copyOf(parameters), List.copyOf(capabilities),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags)), List.copyOf(outputs));
    }

    void restore(Definition definition) {
        templateBody = definition.templateBody();
        description = definition.description();
        parameters = new ArrayList<>(definition.parameters());
        capabilities = new ArrayList<>(definition.capabilities());
        tags = new LinkedHashMap<>(definition.tags());
        outputs = new ArrayList<>(definition.outputs());
    }

    /** Sets the stack's status and records the stack-level event for it. */
    void recordStackEvent(StackStatus newStatus, String reason) {
        String now = java.time.Instant.now().toString();
        status = newStatus;
        statusReason = reason;
        if (newStatus == StackStatus.DELETE_COMPLETE) {
            deletionTime = now;
        }
        if (newStatus == StackStatus.UPDATE_IN_PROGRESS) {
            lastUpdatedTime = now;
        }
        events.add(new Event(java.util.UUID.randomUUID().toString(), stackName, stackId, StackEngine.STACK_TYPE, now,
                newStatus, null, reason));
    }

    /** No operation is running on it and it is not deleted: a delete may start. */
    boolean isDeletable() {
        return !status.isOperationRunning() && !isDeleted();
    }

    boolean isDeleted() {
        return status == StackStatus.DELETE_COMPLETE;
    }

    /** The change set with this name or id. */
    java.util.Optional<ChangeSet> changeSet(String nameOrId) {
        return changeSets.stream().filter(changeSet -> changeSet.changeSetName.equals(nameOrId)
                || changeSet.changeSetId.equals(nameOrId)).findFirst();
    }
}
