package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.StackInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values one stack's template is evaluated against: parameters, pseudo parameters, conditions (evaluated once,
 * when the stack is created) and the resources created so far.
 */
final class StackScope implements Intrinsics.Scope {

    private final Template template;
    private final StackInfo stack;
    private final Map<String, Object> parameterValues;
    private final Function<String, Optional<ProvisionedResource>> createdResources;
    private final Map<String, Boolean> conditionValues = new HashMap<>();

    /**
     * @param parameterValues  validated values by parameter name (text, or a list for list types)
     * @param createdResources the provisioned resource for a logical id, once created
     */
    StackScope(Template template, StackInfo stack, Map<String, Object> parameterValues,
               Function<String, Optional<ProvisionedResource>> createdResources) {
        this.template = template;
        this.stack = stack;
        this.parameterValues = parameterValues;
        this.createdResources = createdResources;
        template.conditions().keySet().forEach(this::condition);
    }

    /** Whether a resource or output with this optional condition is part of the stack. */
    boolean included(Optional<String> condition) {
        return condition.map(this::condition).orElse(true);
    }

    @Override
    public Object ref(String name) {
        if (parameterValues.containsKey(name)) {
            return parameterValues.get(name);
        }
        switch (name) {
            case "AWS::AccountId":
                return stack.accountId();
            case "AWS::Region":
                return stack.region();
            case "AWS::StackName":
                return stack.stackName();
            case "AWS::StackId":
                return stack.stackId();
            case "AWS::Partition":
                return partition();
            case "AWS::URLSuffix":
                return stack.region().startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
            case "AWS::NoValue":
                return Intrinsics.NO_VALUE;
            case "AWS::NotificationARNs":
                return new ArrayList<>();
            default:
                return created(name, "Ref").ref();
        }
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        String value = created(logicalId, "Fn::GetAtt").attributes().get(attribute);
        if (value == null) {
            throw TemplateException.evaluation("resource " + logicalId + " does not support attribute type "
                    + attribute + " in Fn::GetAtt");
        }
        return value;
    }

    @Override
    public synchronized boolean condition(String name) {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        if (!template.conditions().containsKey(name)) {
            throw TemplateException.format("condition " + name + " is not declared in the Conditions section");
        }
        boolean value = Intrinsics.evaluateCondition(template.conditions().get(name), this);
        conditionValues.put(name, value);
        return value;
    }

    @Override
    public Map<String, Object> mappings() {
        return template.mappings();
    }

    @Override
    public String region() {
        return stack.region();
    }

    private String partition() {
        return stack.region().startsWith("cn-") ? "aws-cn"
                : stack.region().startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    private ProvisionedResource created(String logicalId, String function) {
        Template.ResourceDefinition definition = template.resources().get(logicalId);
        if (definition == null) {
            throw TemplateException.format("Unresolved resource dependencies [" + logicalId + "] in " + function);
        }
        if (!included(definition.condition())) {
            throw TemplateException.evaluation(function + " refers to resource " + logicalId + ", which is not "
                    + "created because its condition " + definition.condition().get() + " is false");
        }
        return createdResources.apply(logicalId).orElseThrow(() -> TemplateException.evaluation(function
                + " refers to resource " + logicalId + ", which has not been created"));
    }
}
