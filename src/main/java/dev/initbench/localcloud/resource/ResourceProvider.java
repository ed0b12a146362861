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
}
