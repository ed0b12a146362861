package dev.initbench.localcloud.cloudformation;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFormation's intrinsic functions over the parsed template tree: a static pass that finds what a value
 * refers to (for validation and the dependency graph) and the evaluation against a {@link Scope}.
 */
final class Intrinsics {

    /** What {@code Ref AWS::NoValue} evaluates to: the enclosing property or list element is dropped. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::Region", "AWS::StackName",
            "AWS::StackId", "AWS::Partition", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");

    private static final Set<String> FUNCTIONS = Set.of("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select",
            "Fn::Split", "Fn::If", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::GetAZs", "Fn::Base64",
            "Fn::FindInMap");
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not",
            "Condition");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** What the evaluation needs from the stack being built. */
    interface Scope {
        /** A parameter's value, a pseudo parameter's, or a created resource's {@code Ref}. */
        Object ref(String name);

        String getAtt(String logicalId, String attribute);

        boolean condition(String name);

        Map<String, Object> mappings();

        String region();
    }

    /**
     * What a value refers to.
     *
     * @param refs             names used by {@code Ref} and by {@code Fn::Sub} variables without a dot
     * @param attributeTargets resources named by {@code Fn::GetAtt} and dotted {@code Fn::Sub} variables
     * @param conditions       condition names used by {@code Fn::If} and {@code Condition}
     * @param attributes       the attributes asked for, where the name is literal (not itself an intrinsic)
     */
    /** One {@code Fn::GetAtt} (or dotted {@code Fn::Sub} variable): the resource and the attribute name. */
    record Attribute(String logicalId, String name) {
    }

    record References(Set<String> refs, Set<String> attributeTargets, Set<String> conditions,
                      Set<Attribute> attributes) {
        References() {
            this(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        }

        Set<String> all() {
            Set<String> all = new LinkedHashSet<>(refs);
            all.addAll(attributeTargets);
            return all;
        }
    }

    private Intrinsics() {
    }

    /** True when the node is a function call: a one-entry map keyed {@code Ref} or {@code Fn::...}. */
    static boolean isCall(Object node) {
        return node instanceof Map<?, ?> map && map.size() == 1
                && map.keySet().iterator().next() instanceof String key
                && (key.equals("Ref") || key.startsWith("Fn::"));
    }

    // ---------------------------------------------------------------- static pass

    /** Collects references and checks every function call's name and argument shape. */
    static References references(Object node) {
        References references = new References();
        collect(node, references, false);
        return references;
    }

    /** As {@link #references(Object)} for a condition expression (where {@code {"Condition": name}} is a call). */
    static References conditionReferences(Object node) {
        References references = new References();
        collect(node, references, true);
        return references;
    }

    private static void collect(Object node, References references, boolean conditionContext) {
        if (node instanceof List<?> list) {
            list.forEach(element -> collect(element, references, conditionContext));
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        if (conditionContext && map.size() == 1 && map.containsKey("Condition")) {
            references.conditions().add(text("Condition", map.get("Condition")));
            return;
        }
        if (!isCall(node)) {
            map.values().forEach(value -> collect(value, references, false));
            return;
        }
        String function = (String) map.keySet().iterator().next();
        Object argument = map.get(function);
        requireSupported(function);
        switch (function) {
            case "Ref" -> references.refs().add(text("Ref", argument));
            case "Fn::GetAtt" -> {
                List<?> target = getAttArguments(argument);
                String logicalId = text("Fn::GetAtt", target.get(0));
                references.attributeTargets().add(logicalId);
                if (target.get(1) instanceof String attribute) {
                    references.attributes().add(new Attribute(logicalId, attribute));
                }
                collect(target.get(1), references, false);
            }
            case "Fn::Sub" -> {
                List<?> sub = subArguments(argument);
                Map<?, ?> variables = sub.size() == 2 ? (Map<?, ?>) sub.get(1) : Map.of();
                substitute((String) sub.get(0), name -> {
                    if (!variables.containsKey(name)) {
                        int dot = name.indexOf('.');
                        if (dot > 0) {
                            references.attributeTargets().add(name.substring(0, dot));
                            references.attributes().add(new Attribute(name.substring(0, dot), name.substring(dot + 1)));
                        } else {
                            references.refs().add(name);
                        }
                    }
                    return "";
                });
                variables.values().forEach(value -> collect(value, references, false));
            }
            case "Fn::If" -> {
                List<?> branches = list(function, argument, 3);
                references.conditions().add(text("Fn::If", branches.get(0)));
                collect(branches.get(1), references, false);
                collect(branches.get(2), references, false);
            }
            case "Fn::And", "Fn::Or", "Fn::Not" -> {
                List<?> operands = list(function, argument, -1);
                if (function.equals("Fn::Not") ? operands.size() != 1 : operands.size() < 2 || operands.size() > 10) {
                    throw TemplateException.format(function + (function.equals("Fn::Not")
                            ? " requires a list of exactly one condition" : " requires a list of 2 to 10 conditions"));
                }
                operands.forEach(operand -> collect(operand, references, true));
            }
            case "Fn::Equals" -> collect(list(function, argument, 2), references, false);
            case "Fn::Join", "Fn::Select", "Fn::Split" -> collect(list(function, argument, 2), references, false);
            case "Fn::FindInMap" -> collect(list(function, argument, 3), references, false);
            default -> collect(argument, references, false);
        }
    }

    private static void requireSupported(String function) {
        if (function.equals("Fn::ImportValue")) {
            throw TemplateException.format("Fn::ImportValue is not supported by the local cloud (it keeps no "
                    + "cross-stack exports): pass the value as a parameter instead");
        }
        if (!FUNCTIONS.contains(function)) {
            throw TemplateException.format("Unrecognized or unsupported intrinsic function " + function
                    + "; the local cloud supports " + String.join(", ", new java.util.TreeSet<>(FUNCTIONS)));
        }
    }

    // ---------------------------------------------------------------- evaluation

    /** Evaluates every function call in the value; {@link #NO_VALUE} entries are dropped from maps and lists. */
    static Object resolve(Object node, Scope scope) {
        if (node instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object element : list) {
                Object value = resolve(element, scope);
                if (value != NO_VALUE) {
                    resolved.add(value);
                }
            }
            return resolved;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        if (!isCall(node)) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                Object result = resolve(value, scope);
                if (result != NO_VALUE) {
                    resolved.put(String.valueOf(key), result);
                }
            });
            return resolved;
        }
        String function = (String) map.keySet().iterator().next();
        return call(function, map.get(function), scope);
    }

    /** Evaluates a condition expression ({@code Fn::Equals/And/Or/Not}, {@code Condition}). */
    static boolean evaluateCondition(Object node, Scope scope) {
        if (node instanceof Map<?, ?> map && map.size() == 1) {
            String function = String.valueOf(map.keySet().iterator().next());
            Object argument = map.get(function);
            switch (function) {
                case "Condition":
                    return scope.condition(text("Condition", argument));
                case "Fn::Equals": {
                    List<?> operands = list(function, argument, 2);
                    return scalarText(resolve(operands.get(0), scope))
                            .equals(scalarText(resolve(operands.get(1), scope)));
                }
                case "Fn::And":
                    return list(function, argument, -1).stream().allMatch(operand -> evaluateCondition(operand, scope));
                case "Fn::Or":
                    return list(function, argument, -1).stream().anyMatch(operand -> evaluateCondition(operand, scope));
                case "Fn::Not":
                    return !evaluateCondition(list(function, argument, 1).get(0), scope);
                default:
                    break;
            }
        }
        throw TemplateException.format("a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or "
                + "{Condition: name}, not " + node + " (allowed: " + CONDITION_FUNCTIONS + ")");
    }

    private static Object call(String function, Object argument, Scope scope) {
        requireSupported(function);
        switch (function) {
            case "Ref":
                return scope.ref(text("Ref", argument));
            case "Fn::GetAtt": {
                List<?> target = getAttArguments(argument);
                return scope.getAtt(text(function, target.get(0)), text(function, resolve(target.get(1), scope)));
            }
            case "Fn::Sub":
                return sub(argument, scope);
            case "Fn::Join": {
                List<?> arguments = list(function, argument, 2);
                String delimiter = text(function, arguments.get(0));
                List<String> parts = new ArrayList<>();
                for (Object part : resolvedList(function, arguments.get(1), scope)) {
                    parts.add(scalarText(part));
                }
                return String.join(delimiter, parts);
            }
            case "Fn::Select": {
                List<?> arguments = list(function, argument, 2);
                Object indexValue = resolve(arguments.get(0), scope);
                List<?> values = resolvedList(function, arguments.get(1), scope);
                int index;
                try {
                    index = new BigDecimal(scalarText(indexValue)).intValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw TemplateException.evaluation("Fn::Select index '" + indexValue + "' is not an integer");
                }
                if (index < 0 || index >= values.size()) {
                    throw TemplateException.evaluation("Fn::Select cannot select nonexistent value at index " + index
                            + " of a list of " + values.size());
                }
                return values.get(index);
            }
            case "Fn::Split": {
                List<?> arguments = list(function, argument, 2);
                String delimiter = text(function, arguments.get(0));
                String source = scalarText(resolve(arguments.get(1), scope));
                return new ArrayList<>(List.of(source.split(Pattern.quote(delimiter), -1)));
            }
            case "Fn::If": {
                List<?> branches = list(function, argument, 3);
                return resolve(scope.condition(text(function, branches.get(0))) ? branches.get(1) : branches.get(2),
                        scope);
            }
            case "Fn::GetAZs": {
                String region = scalarText(resolve(argument, scope));
                String effective = region.isEmpty() ? scope.region() : region;
                return new ArrayList<>(List.of(effective + "a", effective + "b", effective + "c"));
            }
            case "Fn::Base64":
                return Base64.getEncoder().encodeToString(
                        scalarText(resolve(argument, scope)).getBytes(StandardCharsets.UTF_8));
            case "Fn::FindInMap": {
                List<?> arguments = list(function, argument, 3);
                String mapName = scalarText(resolve(arguments.get(0), scope));
                String topKey = scalarText(resolve(arguments.get(1), scope));
                String secondKey = scalarText(resolve(arguments.get(2), scope));
                Object value = scope.mappings().get(mapName) instanceof Map<?, ?> mapping
                        && mapping.get(topKey) instanceof Map<?, ?> second ? second.get(secondKey) : null;
                if (value == null) {
                    throw TemplateException.evaluation("Unable to get mapping for " + mapName + "::" + topKey + "::"
                            + secondKey);
                }
                return value;
            }
            default:
                throw TemplateException.format(function + " is a condition function: use it in the Conditions "
                        + "section or inside Fn::If, not as a property value");
        }
    }

    private static String sub(Object argument, Scope scope) {
        List<?> arguments = subArguments(argument);
        Map<String, String> variables = new LinkedHashMap<>();
        if (arguments.size() == 2) {
            ((Map<?, ?>) arguments.get(1)).forEach((name, value) ->
                    variables.put(String.valueOf(name), scalarText(resolve(value, scope))));
        }
        return substitute((String) arguments.get(0), name -> {
            if (variables.containsKey(name)) {
                return variables.get(name);
            }
            int dot = name.indexOf('.');
            Object value = dot > 0 ? scope.getAtt(name.substring(0, dot), name.substring(dot + 1)) : scope.ref(name);
            if (value instanceof List<?>) {
                throw TemplateException.evaluation("Fn::Sub variable ${" + name + "} is a list; "
                        + "use Fn::Join to make it a string");
            }
            return scalarText(value);
        });
    }

    /** Replaces {@code ${name}} with the lookup's value and {@code ${!literal}} with {@code ${literal}}. */
    private static String substitute(String template, UnaryOperator<String> lookup) {
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).strip();
            String replacement = name.startsWith("!") ? "${" + name.substring(1) + "}" : lookup.apply(name);
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    // ---------------------------------------------------------------- argument shapes

    private static List<?> subArguments(Object argument) {
        if (argument instanceof String) {
            return List.of(argument);
        }
        if (argument instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String
                && list.get(1) instanceof Map<?, ?>) {
            return list;
        }
        throw TemplateException.format("Fn::Sub takes a string or a list of a string and a map of variables, not "
                + argument);
    }

    private static List<?> getAttArguments(Object argument) {
        if (argument instanceof String text && text.indexOf('.') > 0) {
            return List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1));
        }
        return list("Fn::GetAtt", argument, 2);
    }

    private static List<?> list(String function, Object argument, int size) {
        if (!(argument instanceof List<?> list) || (size >= 0 && list.size() != size)) {
            throw TemplateException.format(function + " requires a list of " + (size >= 0 ? size + " " : "")
                    + "arguments, not " + argument);
        }
        return list;
    }

    private static List<?> resolvedList(String function, Object node, Scope scope) {
        Object value = resolve(node, scope);
        if (!(value instanceof List<?> list)) {
            throw TemplateException.evaluation(function + " requires a list of values, but got " + value);
        }
        return list;
    }

    private static String text(String function, Object argument) {
        if (argument instanceof String text) {
            return text;
        }
        throw TemplateException.format(function + " requires a string argument, not " + argument);
    }

    /** A resolved scalar as CloudFormation treats it: text. */
    static String scalarText(Object value) {
        if (value instanceof List<?> || value instanceof Map<?, ?> || value == null || value == NO_VALUE) {
            throw TemplateException.evaluation("expected a string value, but got " + value);
        }
        return String.valueOf(value);
    }
}
