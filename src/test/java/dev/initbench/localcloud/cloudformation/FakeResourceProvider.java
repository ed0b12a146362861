package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A resource provider for tests: records what it was asked to create and delete, keeps the live resources, and
 * can be told to fail or to run a hook inside {@code create} (e.g. to block on a barrier).
 */
final class FakeResourceProvider implements ResourceProvider {

    /** Creation and deletion order across all fake providers sharing one journal ("create:X", "delete:X"). */
    static final class Journal {
        final List<String> entries = new CopyOnWriteArrayList<>();

        List<String> created() {
            return entries.stream().filter(entry -> entry.startsWith("create:")).map(entry -> entry.substring(7)).toList();
        }

        List<String> deleted() {
            return entries.stream().filter(entry -> entry.startsWith("delete:")).map(entry -> entry.substring(7)).toList();
        }
    }

    private final String type;
    private final Set<String> required;
    private final Journal journal;
    private final Function<ResourceRequest, ProvisionedResource> factory;
    final Map<String, ResourceRequest> requests = new ConcurrentHashMap<>();
    /** Created and not deleted, by physical id. */
    final Map<String, ProvisionedResource> live = new ConcurrentHashMap<>();
    volatile String failureReason;
    /** An update to this {@code Value} fails (a rollback to the previous value still succeeds). */
    volatile String refusedValue;
    volatile Runnable createHook = () -> { };
    /** Properties whose change replaces the resource; every other one is updated in place. */
    volatile Set<String> createOnly = Set.of("Name");

    FakeResourceProvider(String type, Set<String> required, Journal journal,
                         Function<ResourceRequest, ProvisionedResource> factory) {
        this.type = type;
        this.required = required;
        this.journal = journal;
        this.factory = factory;
    }

    /**
     * Physical id {@code <stack>.<logicalId>}, Ref {@code <logicalId>-id}; attributes {@code Arn} and {@code Name}.
     */
    FakeResourceProvider(String type, Journal journal) {
        this(type, Set.of(), journal, request -> new ProvisionedResource(type, request.logicalId(),
                request.stack().stackName() + "." + request.logicalId(), request.logicalId() + "-id",
                Map.of("Arn", "arn:fake:" + request.logicalId(), "Name", request.logicalId() + "-name")));
    }

    @Override
    public String resourceType() {
        return type;
    }

    @Override
    public Set<String> requiredProperties() {
        return required;
    }

    @Override
    public ProvisionedResource create(ResourceRequest request) {
        requests.put(request.logicalId(), request);
        createHook.run();
        if (failureReason != null) {
            throw new ResourceFailedException(failureReason);
        }
        ProvisionedResource made = factory.apply(request);
        // A replacement gets a physical id of its own, as on AWS.
        ProvisionedResource resource = live.containsKey(made.physicalId())
                ? new ProvisionedResource(made.type(), made.logicalId(), made.physicalId() + "#" + live.size(),
                made.ref() + "#" + live.size(), made.attributes()) : made;
        live.put(resource.physicalId(), resource);
        journal.entries.add("create:" + request.logicalId());
        return resource;
    }

    @Override
    public java.util.Optional<Set<String>> createOnlyProperties() {
        return java.util.Optional.of(createOnly);
    }

    /** Records "update:X=<Value property>"; fails when that is {@link #refusedValue}. */
    @Override
    public ProvisionedResource update(ResourceUpdate update) {
        journal.entries.add("update:" + update.request().logicalId() + "=" + update.request().properties().get("Value"));
        if (refusedValue != null && refusedValue.equals(update.request().properties().get("Value"))) {
            throw new ResourceFailedException("Value " + refusedValue + " refused");
        }
        requests.put(update.request().logicalId(), update.request());
        return update.current();
    }

    @Override
    public void delete(ProvisionedResource resource) {
        journal.entries.add("delete:" + resource.logicalId());
        live.remove(resource.physicalId());
    }
}
