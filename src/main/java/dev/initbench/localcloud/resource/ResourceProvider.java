package dev.initbench.localcloud.resource;

import java.util.Optional;
import java.util.Set;

/**
 * Creates and deletes the resources of one CloudFormation resource type on behalf of the stack engine.
 * Each service provider ships the providers for its own types; the engine knows none of them.
 */
public interface ResourceProvider {

    /** The type this provider handles, e.g. {@code AWS::Lambda::Function}. */
    String resourceType();

    /** Properties the type requires; the engine fails the resource naming the first one that is missing. */
    Set<String> requiredProperties();

    /**
     * The attribute names {@code Fn::GetAtt} can read from this type (the keys of
     * {@link ProvisionedResource#attributes()}). When declared, CreateStack refuses a template asking for any other
     * name before creating anything, as CloudFormation does; when empty, an unknown name fails the stack only when
     * its value is read.
     */
    default Optional<Set<String>> attributeNames() {
        return Optional.empty();
    }

    /**
     * Creates the resource and returns once it is usable (for an alias with provisioned concurrency: once that is
     * {@code READY}).
     *
     * @throws ResourceFailedException with the reason shown in the stack event (e.g. {@code NotStabilized})
     */
    ProvisionedResource create(ResourceRequest request);

    /** Deletes the resource; deleting one that is already gone succeeds. */
    void delete(ProvisionedResource resource);

    /**
     * The properties whose change replaces the resource (a new physical resource is created, the old one deleted
     * once the whole stack update succeeded): the type's {@code createOnlyProperties} in the CloudFormation
     * resource schema. Every other property is changed in place by {@link #update}. Empty (the default) when the
     * provider updates nothing in place, so that any change replaces the resource.
     */
    default Optional<Set<String>> createOnlyProperties() {
        return Optional.empty();
    }

    /**
     * Applies changed properties to the existing resource, in place; called only when no
     * {@linkplain #createOnlyProperties() create-only} property changed. Rollback calls it too, with the
     * previous properties as the new ones.
     *
     * @return the resource as it is now (same physical id; its attributes may have changed)
     * @throws ResourceFailedException with the reason shown in the stack event
     */
    default ProvisionedResource update(ResourceUpdate update) {
        throw new UnsupportedOperationException(resourceType() + " declares no create-only properties, so every "
                + "change replaces it and update is never called");
    }
}
