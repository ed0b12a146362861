package dev.initbench.localcloud.resource;

import java.util.Map;
import java.util.Optional;

/**
 * What the engine asks a {@link ResourceProvider} to create.
 *
 * @param logicalId  the resource's key in the template
 * @param properties its properties with every intrinsic function already resolved ({@code AWS::NoValue} removed):
 *                   strings, numbers, booleans, {@code List}s and {@code Map}s as parsed from YAML/JSON
 * @param stack      the stack it belongs to
 */
public record ResourceRequest(String logicalId, Map<String, Object> properties, StackInfo stack) {

    public Optional<Object> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /** A property as text (numbers and booleans as CloudFormation passes them: their string form). */
    public Optional<String> stringProperty(String name) {
        return property(name).map(String::valueOf);
    }

    /**
     * A name for a resource whose template gives none, as CloudFormation generates it:
     * {@code <stack>-<logicalId>-<random suffix>}, cut to {@code maxLength}.
     */
    public String generatedName(int maxLength) {
        String suffix = Long.toString(Math.abs(java.util.concurrent.ThreadLocalRandom.current().nextLong()), 36)
                .toUpperCase(java.util.Locale.ROOT);
        suffix = suffix.substring(0, Math.min(12, suffix.length()));
        String base = stack.stackName() + "-" + logicalId;
        int room = maxLength - suffix.length() - 1;
        return (base.length() > room ? base.substring(0, room) : base) + "-" + suffix;
    }
}
