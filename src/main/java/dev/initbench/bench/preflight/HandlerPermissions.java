package dev.initbench.bench.preflight;

import dev.initbench.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What CloudFormation's resource handlers call with the caller's credentials when they create, read back and
 * delete each resource type: the {@code handlers.create/read/delete.permissions} of the registry's resource
 * schemas, in {@code resource-handler-permissions.json}, less those the schema lists for properties the template
 * does not use ({@code notNeeded}, each with the property and why).
 */
public final class HandlerPermissions {

    private static final String RESOURCE = "resource-handler-permissions.json";
    private static final Pattern RESOURCE_TYPE = Pattern.compile("(?m)^    Type: (AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)\\s*$");

    /** Permissions the schema lists that a template without {@code unlessProperty} never makes the handler call. */
    public record NotNeeded(String type, Optional<String> unlessProperty, List<String> permissions, String because) {
    }

    private final Map<String, Set<String>> byType;
    private final List<NotNeeded> notNeeded;

    private HandlerPermissions(Map<String, Set<String>> byType, List<NotNeeded> notNeeded) {
        this.byType = byType;
        this.notNeeded = notNeeded;
    }

    /** The snapshot shipped with the benchmark. */
    public static HandlerPermissions load() {
        try (InputStream in = HandlerPermissions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            JsonNode root = Json.READER.readTree(in);
            Map<String, Set<String>> byType = new TreeMap<>();
            root.path("types").fields().forEachRemaining(type -> {
                Set<String> permissions = new LinkedHashSet<>();
                for (String handler : List.of("create", "read", "delete")) {
                    type.getValue().path(handler).forEach(p -> permissions.add(p.asText()));
                }
                byType.put(type.getKey(), permissions);
            });
            List<NotNeeded> notNeeded = new ArrayList<>();
            root.path("notNeeded").forEach(n -> {
                List<String> permissions = new ArrayList<>();
                n.path("permissions").forEach(p -> permissions.add(p.asText()));
                notNeeded.add(new NotNeeded(n.path("type").asText(),
                        Optional.ofNullable(n.get("unlessProperty")).map(JsonNode::asText), permissions,
                        n.path("because").asText()));
            });
            return new HandlerPermissions(byType, List.copyOf(notNeeded));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The resource types a template (in the layout of template.yaml) declares, in order of first appearance. */
    public static List<String> resourceTypes(String templateBody) {
        Set<String> types = new LinkedHashSet<>();
        Matcher matcher = RESOURCE_TYPE.matcher(templateBody);
        while (matcher.find()) {
            types.add(matcher.group(1));
        }
        return List.copyOf(types);
    }

    public Set<String> knownTypes() {
        return byType.keySet();
    }

    /** Every permission the schema lists for the type (create, read, delete); empty for an unknown type. */
    public Set<String> listed(String type) {
        return byType.getOrDefault(type, Set.of());
    }

    /** What the type's handlers need for a template that uses none of the {@code notNeeded} properties. */
    public Set<String> needed(String type) {
        Set<String> needed = new LinkedHashSet<>(listed(type));
        notNeeded.stream().filter(n -> n.type().equals(type)).forEach(n -> needed.removeAll(n.permissions()));
        return needed;
    }

    public List<NotNeeded> notNeeded() {
        return notNeeded;
    }
}
