package dev.initbench.localcloud.resource;

import java.util.Optional;
import java.util.Set;

/**
 * A {@link ResourceProvider} whose type, required properties and {@code Fn::GetAtt} attribute names are fixed when it
 * is built, so each service's providers declare them in one constructor call instead of three overrides.
 */
public abstract class AbstractResourceProvider implements ResourceProvider {

    private final String resourceType;
    private final Set<String> requiredProperties;
    private final Set<String> attributeNames;

    /**
     * @param resourceType       the type handled, e.g. {@code AWS::Lambda::Function}
     * @param requiredProperties the properties the type requires
     * @param attributeNames     every attribute name {@code Fn::GetAtt} can read (empty when the type has none)
     */
    protected AbstractResourceProvider(String resourceType, Set<String> requiredProperties,
                                       Set<String> attributeNames) {
        this.resourceType = resourceType;
        this.requiredProperties = Set.copyOf(requiredProperties);
        this.attributeNames = Set.copyOf(attributeNames);
    }

    @Override
    public final String resourceType() {
        return resourceType;
    }

    @Override
    public final Set<String> requiredProperties() {
        return requiredProperties;
    }

    @Override
    public final Optional<Set<String>> attributeNames() {
        return Optional.of(attributeNames);
    }
}
