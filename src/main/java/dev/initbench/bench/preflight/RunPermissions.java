package dev.initbench.bench.preflight;

import dev.initbench.bench.deploy.ProjectTags;
import dev.initbench.bench.deploy.RunId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every IAM action one run uses, on the resources that run will create: the benchmark's own calls and those
 * CloudFormation's resource handlers make with the caller's credentials (the stack is created without a service
 * role). Generated names ({@code initbench-<run>-EagerFunction-<suffix>}) are stood in for by a fixed suffix, which
 * the policy's name patterns match as they match the real ones.
 */
public final class RunPermissions {

    /** Actions IAM authorizes only on {@code *}: they have no resource-level permissions. */
    private static final Set<String> UNSCOPED = Set.of("cloudformation:ValidateTemplate", "cloudformation:DescribeStacks",
            "cloudformation:ListStacks", "lambda:GetAccountSettings", "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies", "s3:ListAllMyBuckets", "ssm:DescribeParameters");
    private static final String BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    private static final String SELF = "the benchmark";

    private RunPermissions() {
    }

    /**
     * @param principalArn the IAM user or role the caller acts as (SimulatePrincipalPolicy's own resource)
     * @param bucket       the artifact bucket, run-scoped or the user's
     * @param bucketOwned  whether the run creates (and deletes) the bucket
     */
    public static List<RequiredPermission> of(String partition, String region, String account, RunId runId,
                                              String principalArn, String bucket, boolean bucketOwned,
                                              List<String> resourceTypes, HandlerPermissions handlers) {
        String stack = ProjectTags.stackName(runId);
        String stackArn = arn(partition, "cloudformation", region, account, "stack/" + stack + "/preflight");
        String function = arn(partition, "lambda", region, account, "function:" + stack + "-EagerFunction-PREFLIGHT");
        String role = arn(partition, "iam", "", account, "role/" + stack + "-FunctionRole-PREFLIGHT");
        String logGroup = arn(partition, "logs", region, account, "log-group:/aws/lambda/" + stack
                + "-EagerFunction-PREFLIGHT:*");
        String parameter = arn(partition, "ssm", region, account, "parameter/" + stack + "/value");
        String bucketArn = "arn:" + partition + ":s3:::" + bucket;
        String artifact = bucketArn + "/initbench/" + runId + "/initbench-functions.zip";
        Map<String, List<String>> runTags = Map.of(
                "aws:RequestTag/" + ProjectTags.PROJECT_KEY, List.of(ProjectTags.PROJECT),
                "aws:RequestTag/" + ProjectTags.RUN_ID_KEY, List.of(runId.value()),
                "aws:RequestTag/" + ProjectTags.CREATED_AT_KEY, List.of(runId.startedAt().toString()));

        List<RequiredPermission> required = new ArrayList<>();
        // The benchmark's own calls, in the order a run makes them.
        required.add(own("iam:SimulatePrincipalPolicy", principalArn));
        required.add(own("lambda:GetAccountSettings", "*"));
        required.add(own("cloudformation:ValidateTemplate", "*"));
        required.add(own("cloudformation:ListStacks", "*"));
        required.add(own("cloudformation:DescribeStacks", "*"));
        if (bucketOwned) {
            required.add(new RequiredPermission("s3:CreateBucket", bucketArn, Map.of(), SELF));
            required.add(new RequiredPermission("s3:PutBucketTagging", bucketArn, Map.of(), SELF));
            required.add(new RequiredPermission("s3:DeleteBucket", bucketArn, Map.of(), SELF));
        }
        required.add(new RequiredPermission("s3:ListBucket", bucketArn, Map.of(), SELF));
        required.add(new RequiredPermission("s3:PutObject", artifact, Map.of(), SELF));
        required.add(new RequiredPermission("s3:DeleteObject", artifact, Map.of(), SELF));
        required.add(new RequiredPermission("cloudformation:CreateStack", stackArn, runTags, SELF));
        required.add(new RequiredPermission("cloudformation:TagResource", stackArn, runTags, SELF));
        required.add(own("cloudformation:DescribeStackEvents", stackArn));
        required.add(new RequiredPermission("cloudformation:DeleteStack", stackArn,
                Map.of("aws:ResourceTag/" + ProjectTags.PROJECT_KEY, List.of(ProjectTags.PROJECT)), SELF));
        required.add(own("lambda:GetProvisionedConcurrencyConfig", function));
        required.add(own("logs:FilterLogEvents", logGroup));
        required.add(own("logs:DescribeLogGroups", "*"));
        required.add(own("logs:DeleteLogGroup", logGroup));

        // CloudFormation's handlers, with the caller's credentials.
        for (String type : resourceTypes) {
            for (String action : handlers.needed(type)) {
                String service = action.substring(0, action.indexOf(':'));
                String resource = UNSCOPED.contains(action) ? "*" : switch (service) {
                    case "lambda" -> function;
                    case "iam" -> role;
                    case "logs" -> logGroup;
                    case "ssm" -> parameter;
                    case "s3" -> artifact;
                    case "apigateway" -> "arn:" + partition + ":apigateway:" + region + "::/apis/preflight";
                    default -> "*";
                };
                Map<String, List<String>> context = switch (action) {
                    case "iam:PassRole" -> Map.of("iam:PassedToService", List.of("lambda.amazonaws.com"));
                    case "iam:AttachRolePolicy", "iam:DetachRolePolicy" -> Map.of("iam:PolicyARN",
                            List.of(BASIC_EXECUTION));
                    default -> Map.of();
                };
                required.add(new RequiredPermission(action, resource, context, "CloudFormation for " + type));
                if (service.equals("apigateway") && action.equals("apigateway:POST")) {
                    // Creating an API is a POST on the collection itself.
                    required.add(new RequiredPermission(action, "arn:" + partition + ":apigateway:" + region
                            + "::/apis", context, "CloudFormation for " + type));
                }
            }
        }
        return List.copyOf(required);
    }

    private static RequiredPermission own(String action, String resource) {
        return new RequiredPermission(action, resource, Map.of(), SELF);
    }

    private static String arn(String partition, String service, String region, String account, String resource) {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
