package dev.initbench.localcloud.lambda;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Functions' resource-based policies (AddPermission / RemovePermission): recorded, not enforced. Thread-safe. */
final class FunctionPolicies {

    private final Map<String, Map<String, String>> statementsByFunction = new HashMap<>();

    /**
     * Records a statement and returns it as JSON text.
     *
     * @param resource the function's ARN, qualified when the permission is for a qualifier
     */
    synchronized String add(String functionName, String resource, String statementId, String action,
                            String principal, Optional<String> sourceArn) {
        if (statementId == null || action == null || principal == null) {
            throw LambdaErrors.invalid("StatementId, Action and Principal are required");
        }
        Map<String, String> statements = statementsByFunction.computeIfAbsent(functionName,
                name -> new LinkedHashMap<>());
        if (statements.containsKey(statementId)) {
            throw LambdaErrors.conflict("The statement id (" + statementId + ") provided already exists. Please "
                    + "provide a new statement id, or remove the existing statement.");
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", statementId);
        statement.put("Effect", "Allow");
        statement.put("Principal", principal.contains(".") ? Map.of("Service", principal) : Map.of("AWS", principal));
        statement.put("Action", action);
        statement.put("Resource", resource);
        sourceArn.ifPresent(arn -> statement.put("Condition", Map.of("ArnLike", Map.of("AWS:SourceArn", arn))));
        String json = LambdaControlPlane.toJson(statement);
        statements.put(statementId, json);
        return json;
    }

    /** Removes a statement; one that is gone counts as removed. */
    synchronized void remove(String functionName, String statementId) {
        Map<String, String> statements = statementsByFunction.get(functionName);
        if (statements != null) {
            statements.remove(statementId);
        }
    }

    /** Drops the policy of a deleted function. */
    synchronized void forget(String functionName) {
        statementsByFunction.remove(functionName);
    }
}
