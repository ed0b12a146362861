package dev.initbench.localcloud.resource;

import java.util.Map;
import java.util.Objects;

/**
 * What the engine asks a {@link ResourceProvider} to change in place.
 *
 * @param current            the resource as created or last updated
 * @param previousProperties its properties (resolved) as of that creation or update
 * @param request            the new properties, resolved against the stack being updated
 */
public record ResourceUpdate(ProvisionedResource current, Map<String, Object> previousProperties,
                             ResourceRequest request) {

    public ResourceUpdate {
        // Not Map.copyOf: a resolved property may be null (an empty YAML value).
        previousProperties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(previousProperties));
    }

    /** Whether the property's value differs between the previous and the new properties (absent counts). */
    public boolean changed(String property) {
        return !Objects.equals(previousProperties.get(property), request.properties().get(property));
    }
}
