package dev.initbench.localcloud.cloudformation;

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
     * Creates the resource and returns once it is usable (for an alias with provisioned concurrency: once that is
     * {@code READY}).
     *
     * @throws ResourceFailedException with the reason shown in the stack event (e.g. {@code NotStabilized})
     */
    ProvisionedResource create(ResourceRequest request);

    /** Deletes the resource; deleting one that is already gone succeeds. */
    void delete(ProvisionedResource resource);
}
