package dev.initbench.bench.preflight;

import java.util.List;
import java.util.Map;

/**
 * One IAM action a run needs, on the resource it will act on, with the condition keys that request carries.
 *
 * @param action   e.g. {@code cloudformation:CreateStack}
 * @param resource the ARN the run will act on ({@code *} for actions without resource-level permissions)
 * @param context  condition keys the request carries and their values (e.g. {@code iam:PassedToService})
 * @param usedBy   who calls it: the benchmark itself, or CloudFormation's handler of a resource type
 */
public record RequiredPermission(String action, String resource, Map<String, List<String>> context, String usedBy) {

    public RequiredPermission {
        context = Map.copyOf(context);
    }
}
