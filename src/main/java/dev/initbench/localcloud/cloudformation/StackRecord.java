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

    record Event(String eventId, String logicalResourceId, String physicalResourceId, String resourceType,
                 String timestamp, String resourceStatus, String resourceStatusReason) {
    }

    /** One resource of the stack; {@code provisioned} is set once its provider created it. */
    static final class Resource {
        public String logicalId;
        public String type;
        public String status;
        public String statusReason;
        public String timestamp;
        public ProvisionedResource provisioned;
        public List<String> dependencies = new ArrayList<>();
        public String deletionPolicy = "Delete";
    }

    public String stackId;
    public String stackName;
    public String description;
    public String templateBody;
    public String status;
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

    /** Sets the stack's status and records the stack-level event for it. */
    void recordStackEvent(String newStatus, String reason) {
        String now = java.time.Instant.now().toString();
        status = newStatus;
        statusReason = reason;
        if (newStatus.equals("DELETE_COMPLETE")) {
            deletionTime = now;
        }
        events.add(new Event(java.util.UUID.randomUUID().toString(), stackName, stackId, StackEngine.STACK_TYPE, now,
                newStatus, reason));
    }

    /** No operation is running on it and it is not deleted: a delete may start. */
    boolean isDeletable() {
        return !status.endsWith("_IN_PROGRESS") && !isDeleted();
    }

    boolean isDeleted() {
        return "DELETE_COMPLETE".equals(status);
    }
}
