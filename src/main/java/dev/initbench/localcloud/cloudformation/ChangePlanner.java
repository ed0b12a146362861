package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.StackInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Computes what an update of a stack to a new template and parameters changes, resource by resource, as a change
 * set shows it: which resources are added, removed or modified, and for a modification whether it replaces the
 * resource (a changed create-only property) and why each property changes.
 *
 * <p>Resources are planned in dependency order. A value that refers to a resource the same update adds or replaces
 * (its {@code Ref} and attributes), or to an attribute of one it modifies, is known only during the update: it
 * counts as changed with evaluation {@code Dynamic}, and on a create-only property it makes the replacement
 * {@code Conditional}. The update itself resolves the real values and changes only what really differs.
 */
final class ChangePlanner {

    /** Stands for a value known only during the update; never equal to a real value. */
    private static final String UNKNOWN = "\u0000unknown:";

    private final Map<String, ResourceProvider> providers;

    ChangePlanner(Map<String, ResourceProvider> providers) {
        this.providers = providers;
    }

    /**
     * @param stack           the stack as it is (its resources, parameters and template body; a copy)
     * @param template        the new template
     * @param parameterValues the new validated parameter values
     * @param info            the stack's identity, for pseudo parameters
     * @throws TemplateException      when the new template cannot be evaluated
     * @throws AwsServiceException    when a resource's type changes
     */
    List<ResourceChange> plan(StackRecord stack, Template template, Map<String, Object> parameterValues,
                              StackInfo info) {
        Map<String, StackRecord.Resource> current = new LinkedHashMap<>();
        stack.resources.values().stream()
                .filter(resource -> resource.provisioned != null && resource.status != ResourceStatus.DELETE_COMPLETE)
                .forEach(resource -> current.put(resource.logicalId, resource));
        Map<String, Object> previousRawProperties = new LinkedHashMap<>();
        if (stack.templateBody != null) {
            Template.parse(stack.templateBody).resources().forEach((logicalId, definition) ->
                    previousRawProperties.put(logicalId, definition.properties()));
        }
        Set<String> changedParameters = new HashSet<>();
        Map<String, String> previousValues = new LinkedHashMap<>();
        stack.parameters.forEach(parameter -> previousValues.put(parameter.key(), parameter.value()));
        template.parameters().keySet().forEach(name -> {
            Object value = parameterValues.get(name);
            String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            if (!Objects.equals(previousValues.get(name), text)) {
                changedParameters.add(name);
            }
        });

        Set<String> unknownRefs = new HashSet<>();
        Set<String> unknownAttributes = new HashSet<>();
        StackScope known = new StackScope(template, info, parameterValues,
                logicalId -> Optional.ofNullable(current.get(logicalId)).map(resource -> resource.provisioned));
        Intrinsics.Scope scope = new PlanningScope(known, unknownRefs, unknownAttributes);

        Map<String, java.util.Set<String>> graph = new LinkedHashMap<>();
        template.resources().values().stream().filter(resource -> known.included(resource.condition()))
                .forEach(resource -> graph.put(resource.logicalId(), resource.dependencies()));
        List<ResourceChange> changes = new ArrayList<>();
        for (String logicalId : DependencyGraph.order(graph, "resources")) {
            Template.ResourceDefinition definition = template.resources().get(logicalId);
            StackRecord.Resource existing = current.get(logicalId);
            if (existing == null) {
                changes.add(new ResourceChange(ResourceChange.Action.Add, logicalId, null, definition.type(), null,
                        List.of()));
                unknownRefs.add(logicalId);
                unknownAttributes.add(logicalId);
                continue;
            }
            if (!existing.type.equals(definition.type())) {
                throw new AwsServiceException("ValidationError", 400, "Update of resource type is not permitted. "
                        + "The new template modifies resource type of the following resources: [" + logicalId + "]");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) Intrinsics.resolve(definition.properties(), scope);
            Set<String> changed = StackEngine.changedProperties(existing.properties, properties);
            if (changed.isEmpty()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> previousRaw = (Map<String, Object>) previousRawProperties.getOrDefault(logicalId,
                    Map.of());
            List<ResourceChange.Detail> details = new ArrayList<>();
            for (String property : changed) {
                details.addAll(details(property, definition, previousRaw.get(property), properties.get(property),
                        changedParameters, unknownRefs, unknownAttributes));
            }
            ResourceChange.Replacement replacement = details.stream().anyMatch(detail ->
                    detail.requiresRecreation() == ResourceChange.RequiresRecreation.Always)
                    ? ResourceChange.Replacement.True
                    : details.stream().anyMatch(detail ->
                            detail.requiresRecreation() == ResourceChange.RequiresRecreation.Conditionally)
                    ? ResourceChange.Replacement.Conditional : ResourceChange.Replacement.False;
            changes.add(new ResourceChange(ResourceChange.Action.Modify, logicalId,
                    existing.provisioned.physicalId(), existing.type, replacement, details));
            unknownAttributes.add(logicalId);
            if (replacement != ResourceChange.Replacement.False) {
                unknownRefs.add(logicalId);
            }
        }
        current.values().stream().filter(resource -> !graph.containsKey(resource.logicalId)).forEach(resource ->
                changes.add(new ResourceChange(ResourceChange.Action.Remove, resource.logicalId,
                        resource.provisioned.physicalId(), resource.type, null, List.of())));
        return changes;
    }

    /** One detail per cause of the property's change: the template's own edit, or what its value refers to. */
    private List<ResourceChange.Detail> details(String property, Template.ResourceDefinition definition,
                                                Object previousRaw, Object resolved, Set<String> changedParameters,
                                                Set<String> unknownRefs, Set<String> unknownAttributes) {
        boolean dynamic = String.valueOf(resolved).contains(UNKNOWN);
        boolean createOnly = StackEngine.requiresReplacement(providers.get(definition.type()), property);
        ResourceChange.RequiresRecreation staticRecreation = createOnly ? ResourceChange.RequiresRecreation.Always
                : ResourceChange.RequiresRecreation.Never;
        ResourceChange.RequiresRecreation dynamicRecreation = createOnly
                ? ResourceChange.RequiresRecreation.Conditionally : ResourceChange.RequiresRecreation.Never;
        Object raw = definition.properties().get(property);
        List<ResourceChange.Detail> details = new ArrayList<>();
        if (!Objects.equals(previousRaw, raw)) {
            details.add(new ResourceChange.Detail(property, dynamic ? dynamicRecreation : staticRecreation,
                    dynamic ? ResourceChange.Evaluation.Dynamic : ResourceChange.Evaluation.Static,
                    ResourceChange.ChangeSource.DirectModification, null));
            return details;
        }
        Intrinsics.References references = Intrinsics.references(raw);
        references.refs().stream().filter(changedParameters::contains).sorted().forEach(parameter ->
                details.add(new ResourceChange.Detail(property, staticRecreation, ResourceChange.Evaluation.Static,
                        ResourceChange.ChangeSource.ParameterReference, parameter)));
        references.refs().stream().filter(unknownRefs::contains).sorted().forEach(resource ->
                details.add(new ResourceChange.Detail(property, dynamicRecreation, ResourceChange.Evaluation.Dynamic,
                        ResourceChange.ChangeSource.ResourceReference, resource)));
        references.attributes().stream().filter(attribute -> unknownAttributes.contains(attribute.logicalId()))
                .map(attribute -> attribute.logicalId() + "." + attribute.name()).distinct().sorted()
                .forEach(attribute -> details.add(new ResourceChange.Detail(property, dynamicRecreation,
                        ResourceChange.Evaluation.Dynamic, ResourceChange.ChangeSource.ResourceAttribute,
                        attribute)));
        if (details.isEmpty()) {
            // The value changed without an edit or a changed reference: a pseudo parameter or a resource created
            // since the previous value was recorded.
            details.add(new ResourceChange.Detail(property, dynamic ? dynamicRecreation : staticRecreation,
                    dynamic ? ResourceChange.Evaluation.Dynamic : ResourceChange.Evaluation.Static,
                    ResourceChange.ChangeSource.DirectModification, null));
        }
        return details;
    }

    /** The new stack's values, with the resources the update changes standing for unknown values. */
    private record PlanningScope(StackScope known, Set<String> unknownRefs, Set<String> unknownAttributes)
            implements Intrinsics.Scope {

        @Override
        public Object ref(String name) {
            return unknownRefs.contains(name) ? UNKNOWN + name : known.ref(name);
        }

        @Override
        public String getAtt(String logicalId, String attribute) {
            return unknownAttributes.contains(logicalId) ? UNKNOWN + logicalId + "." + attribute
                    : known.getAtt(logicalId, attribute);
        }

        @Override
        public boolean condition(String name) {
            return known.condition(name);
        }

        @Override
        public Map<String, Object> mappings() {
            return known.mappings();
        }

        @Override
        public String region() {
            return known.region();
        }
    }
}
