package dev.initbench.localcloud.iam;

import dev.initbench.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IAM's evaluation of identity policies for one request, as the policy simulator reports it: an explicit
 * {@code Deny} wins, else an {@code Allow} that matches action, resource and conditions, else an implicit deny.
 * Actions match case-insensitively with {@code *}/{@code ?} wildcards, resources case-sensitively. Condition
 * operators: StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals,
 * ArnNotLike, Bool and Null (with the {@code IfExists} suffix); a statement with any other operator never matches,
 * and a condition on a key the request does not carry is reported as a missing context value, as the simulator does.
 */
public final class PolicyEvaluator {


    /** What the simulator answers for one action and resource. */
    public enum Decision {
        ALLOWED("allowed"), EXPLICIT_DENY("explicitDeny"), IMPLICIT_DENY("implicitDeny");

        private final String wireName;

        Decision(String wireName) {
            this.wireName = wireName;
        }

        /** The EvalDecision value on the wire. */
        public String wireName() {
            return wireName;
        }
    }

    /** A decision with the statements that decided it and the context keys the conditions asked for in vain. */
    public record Evaluation(Decision decision, List<String> matchedStatements, List<String> missingContextKeys) {
    }

    /** One named policy document, as recorded (an inline policy's name, a managed policy's ARN). */
    public record NamedPolicy(String sourceId, String document) {
    }

    private PolicyEvaluator() {
    }

    /**
     * @param context the request's condition keys (lower-cased names) and their values
     */
    public static Evaluation evaluate(List<NamedPolicy> policies, String action, String resource,
                                      Map<String, List<String>> context) {
        List<String> allowing = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (NamedPolicy policy : policies) {
            JsonNode statements = parse(policy.document()).path("Statement");
            List<JsonNode> list = new ArrayList<>();
            if (statements.isArray()) {
                statements.forEach(list::add);
            } else if (statements.isObject()) {
                list.add(statements);
            }
            for (JsonNode statement : list) {
                if (!matchesAction(statement, action) || !matchesResource(statement, resource)) {
                    continue;
                }
                if (!conditionsHold(statement.path("Condition"), context, missing)) {
                    continue;
                }
                String id = policy.sourceId() + statement.path("Sid").asText("").transform(s -> s.isEmpty() ? "" : "/" + s);
                if ("Deny".equals(statement.path("Effect").asText())) {
                    return new Evaluation(Decision.EXPLICIT_DENY, List.of(id), List.copyOf(missing));
                }
                if ("Allow".equals(statement.path("Effect").asText())) {
                    allowing.add(id);
                }
            }
        }
        return new Evaluation(allowing.isEmpty() ? Decision.IMPLICIT_DENY : Decision.ALLOWED, List.copyOf(allowing),
                allowing.isEmpty() ? missing.stream().distinct().toList() : List.of());
    }

    private static JsonNode parse(String document) {
        try {
            return Json.READER.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("recorded policy is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean matchesAction(JsonNode statement, String action) {
        if (statement.has("NotAction")) {
            return values(statement.get("NotAction")).stream().noneMatch(p -> wildcard(p, action, true));
        }
        return values(statement.path("Action")).stream().anyMatch(p -> wildcard(p, action, true));
    }

    private static boolean matchesResource(JsonNode statement, String resource) {
        if (statement.has("NotResource")) {
            return values(statement.get("NotResource")).stream().noneMatch(p -> wildcard(p, resource, false));
        }
        return values(statement.path("Resource")).stream().anyMatch(p -> wildcard(p, resource, false));
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, List<String>> context, List<String> missing) {
        if (!condition.isObject()) {
            return true;
        }
        var operators = condition.fields();
        while (operators.hasNext()) {
            var operator = operators.next();
            String name = operator.getKey();
            boolean ifExists = name.endsWith("IfExists");
            String base = ifExists ? name.substring(0, name.length() - "IfExists".length()) : name;
            var keys = operator.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                String keyName = key.getKey().toLowerCase(Locale.ROOT);
                List<String> expected = values(key.getValue());
                Optional<List<String>> actual = Optional.ofNullable(context.get(keyName));
                if ("Null".equals(base)) {
                    boolean wantsAbsent = expected.stream().anyMatch("true"::equalsIgnoreCase);
                    if (wantsAbsent == actual.isPresent()) {
                        return false;
                    }
                    continue;
                }
                if (actual.isEmpty()) {
                    if (ifExists) {
                        continue;
                    }
                    missing.add(key.getKey());
                    return false;
                }
                if (!holds(base, expected, actual.get())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, List<String> expected, List<String> actual) {
        return switch (operator) {
            case "StringEquals", "ArnEquals" -> actual.stream().anyMatch(expected::contains);
            case "StringNotEquals", "ArnNotEquals" -> actual.stream().noneMatch(expected::contains);
            case "StringLike", "ArnLike" -> actual.stream().anyMatch(a -> expected.stream().anyMatch(e -> wildcard(e, a, false)));
            case "StringNotLike", "ArnNotLike" -> actual.stream().noneMatch(a -> expected.stream().anyMatch(e -> wildcard(e, a, false)));
            case "StringEqualsIgnoreCase" -> actual.stream().anyMatch(a -> expected.stream().anyMatch(a::equalsIgnoreCase));
            case "Bool" -> actual.stream().anyMatch(a -> expected.stream().anyMatch(a::equalsIgnoreCase));
            default -> false;
        };
    }

    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one character. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL)
                .matcher(value).matches();
    }
}
