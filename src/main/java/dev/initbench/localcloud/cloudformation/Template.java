package dev.initbench.localcloud.cloudformation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed and statically validated template: its sections, every reference checked against what the template
 * declares, and each resource's dependencies (Ref, Fn::GetAtt, Fn::Sub, DependsOn) free of cycles.
 */
record Template(String body, Optional<String> description, List<String> transforms,
                Map<String, ParameterDeclaration> parameters, Map<String, Object> mappings,
                Map<String, Object> conditions, Map<String, ResourceDefinition> resources,
                Map<String, OutputDefinition> outputs) {

    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata",
            "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs");
    private static final Set<String> RESOURCE_ATTRIBUTES = Set.of("Type", "Properties", "DependsOn", "Condition",
            "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy");
    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9]+");

    /**
     * One resource of the template.
     *
     * @param dependencies   the resources it must wait for, in template order
     * @param deletionPolicy {@code Delete} (the default), {@code Retain} or {@code RetainExceptOnCreate}
     */
    record ResourceDefinition(String logicalId, String type, Map<String, Object> properties,
                              Set<String> dependencies, Optional<String> condition, String deletionPolicy) {
    }

    record OutputDefinition(String key, Object value, Optional<String> description, Optional<Object> exportName,
                            Optional<String> condition) {
    }

    /** Parses and validates a template body; every problem is a {@link TemplateException} naming it. */
    static Template parse(String body) {
        Map<String, Object> document = TemplateDocumentReader.read(body);
        List<String> unknownSections = document.keySet().stream().filter(key -> !SECTIONS.contains(key)).toList();
        if (!unknownSections.isEmpty()) {
            throw TemplateException.format("Invalid template property or properties " + unknownSections);
        }
        Object version = document.get("AWSTemplateFormatVersion");
        if (version != null && !"2010-09-09".equals(String.valueOf(version))) {
            throw TemplateException.format("AWSTemplateFormatVersion '" + version
                    + "' is not supported; the only valid version is 2010-09-09");
        }
        Object description = document.get("Description");
        if (description != null && !(description instanceof String)) {
            throw TemplateException.format("Description must be a string, not " + description);
        }
        Map<String, ParameterDeclaration> parameters = new LinkedHashMap<>();
        section(document, "Parameters").forEach((name, declaration) -> {
            requireLogicalId(name, "Parameter");
            ParameterDeclaration parameter = ParameterDeclaration.parse(name, declaration);
            // AWS checks defaults against the parameter's own constraints when validating the template.
            parameter.defaultValue().ifPresent(parameter::validate);
            parameters.put(name, parameter);
        });
        Map<String, Object> mappings = section(document, "Mappings");
        Map<String, Object> conditions = section(document, "Conditions");
        Map<String, Object> resourceSection = section(document, "Resources");
        if (resourceSection.isEmpty()) {
            throw TemplateException.format("At least one Resources member must be defined.");
        }
        Sections sections = new Sections(parameters, conditions, resourceSection.keySet());
        sections.checkConditions();
        Map<String, ResourceDefinition> resources = new LinkedHashMap<>();
        resourceSection.forEach((logicalId, definition) ->
                resources.put(logicalId, sections.resource(logicalId, definition)));
        Map<String, OutputDefinition> outputs = new LinkedHashMap<>();
        section(document, "Outputs").forEach((key, definition) -> outputs.put(key, sections.output(key, definition)));
        Template template = new Template(body, Optional.ofNullable((String) description), transforms(document),
                parameters, mappings, conditions, resources, outputs);
        DependencyGraph.requireAcyclic(template.dependencyGraph(), "resources");
        return template;
    }

    /** Each resource's dependencies, for ordering. */
    Map<String, Set<String>> dependencyGraph() {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        resources.forEach((id, resource) -> graph.put(id, resource.dependencies()));
        return graph;
    }

    private static Map<String, Object> section(Map<String, Object> document, String name) {
        Object section = document.get(name);
        if (section == null) {
            return new LinkedHashMap<>();
        }
        if (!(section instanceof Map<?, ?> map)) {
            throw TemplateException.format("the " + name + " section must be a map, not " + section);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }

    private static List<String> transforms(Map<String, Object> document) {
        Object transform = document.get("Transform");
        if (transform == null) {
            return List.of();
        }
        return transform instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(transform));
    }

    private static void requireLogicalId(String name, String kind) {
        if (!LOGICAL_ID.matcher(name).matches()) {
            throw TemplateException.format(kind + " name " + name + " is non alphanumeric.");
        }
    }

    private static String deletionPolicy(String logicalId, Object value) {
        String policy = value == null ? "Delete" : String.valueOf(value);
        if (policy.equals("Snapshot")) {
            throw TemplateException.format("DeletionPolicy Snapshot of resource " + logicalId + " is not supported by "
                    + "the local cloud (it keeps no snapshots): use Delete or Retain");
        }
        if (!Set.of("Delete", "Retain", "RetainExceptOnCreate").contains(policy)) {
            throw TemplateException.format("Unrecognized DeletionPolicy " + policy + " for resource " + logicalId
                    + ": use Delete, Retain or RetainExceptOnCreate");
        }
        return policy;
    }

    private static List<String> dependsOn(String logicalId, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw TemplateException.format("[/Resources/" + logicalId + "/DependsOn] must be a resource name or a list "
                + "of them, not " + value);
    }

    /**
     * The declared names every reference is checked against (resource keys of the raw section, so forward
     * references work).
     */
    private record Sections(Map<String, ParameterDeclaration> parameters, Map<String, Object> conditions,
                            Set<String> resourceNames) {

        private void checkConditions() {
            conditions.forEach((name, expression) -> {
                Intrinsics.References references = Intrinsics.conditionReferences(expression);
                requireDefinedConditions(references.conditions(), "condition " + name);
                List<String> unresolved = references.all().stream()
                        .filter(target -> !parameters.containsKey(target)
                                && !Intrinsics.PSEUDO_PARAMETERS.contains(target))
                        .toList();
                if (!unresolved.isEmpty()) {
                    throw TemplateException.format("Unresolved dependencies " + unresolved
                            + ". Cannot reference resources in the Conditions block of the template");
                }
            });
            DependencyGraph.requireAcyclic(conditionGraph(), "conditions");
        }

        private Map<String, Set<String>> conditionGraph() {
            Map<String, Set<String>> graph = new LinkedHashMap<>();
            conditions.forEach((name, expression) ->
                    graph.put(name, Intrinsics.conditionReferences(expression).conditions()));
            return graph;
        }

        private ResourceDefinition resource(String logicalId, Object definition) {
            requireLogicalId(logicalId, "Resource");
            if (!(definition instanceof Map<?, ?> map)) {
                throw TemplateException.format("[/Resources/" + logicalId + "] resource definition must be a map");
            }
            for (Object attribute : map.keySet()) {
                if (!RESOURCE_ATTRIBUTES.contains(String.valueOf(attribute))) {
                    throw TemplateException.format("Invalid template resource property '" + attribute + "'");
                }
            }
            if (!(map.get("Type") instanceof String type) || type.isBlank()) {
                throw TemplateException.format("[/Resources/" + logicalId + "] Every Resources object must contain "
                        + "a Type member.");
            }
            Object propertiesValue = map.get("Properties");
            if (propertiesValue != null && !(propertiesValue instanceof Map<?, ?>)) {
                throw TemplateException.format("[/Resources/" + logicalId + "/Properties] must be a map");
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            if (propertiesValue instanceof Map<?, ?> given) {
                given.forEach((key, value) -> properties.put(String.valueOf(key), value));
            }
            Intrinsics.References references = Intrinsics.references(properties);
            Set<String> dependencies = new LinkedHashSet<>();
            List<String> unresolved = new ArrayList<>();
            for (String target : references.refs()) {
                if (Intrinsics.PSEUDO_PARAMETERS.contains(target) || parameters.containsKey(target)) {
                    continue;
                }
                (isDeclaredResource(target) ? dependencies : unresolved).add(target);
            }
            for (String target : references.attributeTargets()) {
                (isDeclaredResource(target) ? dependencies : unresolved).add(target);
            }
            for (String target : dependsOn(logicalId, map.get("DependsOn"))) {
                (isDeclaredResource(target) ? dependencies : unresolved).add(target);
            }
            if (!unresolved.isEmpty()) {
                throw TemplateException.format("Unresolved resource dependencies " + new LinkedHashSet<>(unresolved)
                        + " in the Resources block of the template");
            }
            requireDefinedConditions(references.conditions(), "resource " + logicalId);
            Optional<String> condition = conditionKey(map.get("Condition"), "resource " + logicalId);
            return new ResourceDefinition(logicalId, type, properties, dependencies, condition,
                    deletionPolicy(logicalId, map.get("DeletionPolicy")));
        }

        private boolean isDeclaredResource(String logicalId) {
            return resourceNames.contains(logicalId);
        }

        private OutputDefinition output(String key, Object definition) {
            requireLogicalId(key, "Output");
            if (!(definition instanceof Map<?, ?> map) || !map.containsKey("Value")) {
                throw TemplateException.format("Every Outputs member must contain a Value object; " + key
                        + " has none");
            }
            Object exportName = map.get("Export") instanceof Map<?, ?> export ? export.get("Name") : null;
            if (map.containsKey("Export") && exportName == null) {
                throw TemplateException.format("Output " + key + ": Export must be a map with a Name");
            }
            Intrinsics.References references =
                    Intrinsics.references(java.util.Arrays.asList(map.get("Value"), exportName));
            List<String> unresolved = new ArrayList<>();
            references.refs().stream().filter(target -> !Intrinsics.PSEUDO_PARAMETERS.contains(target)
                    && !parameters.containsKey(target) && !isDeclaredResource(target)).forEach(unresolved::add);
            references.attributeTargets().stream().filter(target -> !isDeclaredResource(target))
                    .forEach(unresolved::add);
            if (!unresolved.isEmpty()) {
                throw TemplateException.format("Unresolved resource dependencies " + new LinkedHashSet<>(unresolved)
                        + " in the Outputs block of the template");
            }
            requireDefinedConditions(references.conditions(), "output " + key);
            Object description = map.get("Description");
            if (description != null && !(description instanceof String)) {
                throw TemplateException.format("Output " + key + ": Description must be a string");
            }
            return new OutputDefinition(key, map.get("Value"), Optional.ofNullable((String) description),
                    Optional.ofNullable(exportName), conditionKey(map.get("Condition"), "output " + key));
        }

        private Optional<String> conditionKey(Object value, String owner) {
            if (value == null) {
                return Optional.empty();
            }
            if (!(value instanceof String name)) {
                throw TemplateException.format("the Condition of " + owner + " must be a condition name, not " + value);
            }
            requireDefinedConditions(Set.of(name), owner);
            return Optional.of(name);
        }

        private void requireDefinedConditions(Set<String> names, String owner) {
            for (String name : names) {
                if (!conditions.containsKey(name)) {
                    throw TemplateException.format("Unresolved condition dependencies [" + name + "] in " + owner
                            + ": declare it in the Conditions section");
                }
            }
        }
    }
}
