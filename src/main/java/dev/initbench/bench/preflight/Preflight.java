package dev.initbench.bench.preflight;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.TargetKind;
import dev.initbench.bench.deploy.CostEstimate;
import dev.initbench.bench.deploy.ProjectTags;
import dev.initbench.bench.deploy.RunId;
import dev.initbench.bench.target.Target;
import dev.initbench.localcloud.lambda.HostMemory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ValidateTemplateResponse;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AccountLimit;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The free first step of every run (and all of {@code run --preflight}): who the caller is, the region, the
 * account's concurrency, on the local target whether the environments fit the host's memory, the template's
 * validation, every permission the run will use through IAM's policy
 * simulator, and the cost estimate. It only reads: STS GetCallerIdentity, Lambda GetAccountSettings, CloudFormation
 * ValidateTemplate, IAM GetRole and SimulatePrincipalPolicy, none of which is billed.
 */
public final class Preflight {

    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:([\\w-]+):sts::(\\d{12}):assumed-role/([^/]+)/.+");
    private static final Pattern ROOT = Pattern.compile("arn:[\\w-]+:iam::\\d{12}:root");
    private static final Set<String> TEMPLATE_PARAMETERS = Set.of("ArtifactBucket", "ArtifactKey",
            "ProvisionedConcurrency", "MemorySize", "ParameterValue", "Runtime");
    private static final String POLICY_FIX = "grant them to %s: docs/aws/benchmark-role-policy.json (with ACCOUNT_ID"
            + " replaced by %s) holds every action a run uses; see docs/aws/SETUP.md step 4";

    private final Target target;
    private final ScenarioSettings settings;
    private final RunId runId;
    private final String templateBody;
    private final List<PreflightCheck> checks = new ArrayList<>();

    private Preflight(Target target, ScenarioSettings settings, RunId runId, String templateBody) {
        this.target = target;
        this.settings = settings;
        this.runId = runId;
        this.templateBody = templateBody;
    }

    /** Runs every check; creates nothing. */
    public static PreflightReport run(Target target, ScenarioSettings settings, RunId runId, String templateBody) {
        return new Preflight(target, settings, runId, templateBody).checkAll();
    }

    private PreflightReport checkAll() {
        GetCallerIdentityResponse identity;
        try (StsClient sts = target.sts()) {
            identity = sts.getCallerIdentity();
            checks.add(PreflightCheck.pass("identity", identity.arn() + " (account " + identity.account() + ")"));
        } catch (SdkException e) {
            checks.add(PreflightCheck.fail("identity", "no usable credentials: " + firstLine(e),
                    "sign in (aws sso login --profile NAME, then AWS_PROFILE=NAME), or set AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or run where a role is attached"));
            checks.add(PreflightCheck.pass("region", target.description()));
            return new PreflightReport(checks);
        }
        checks.add(PreflightCheck.pass("region", target.region().id() + " — " + target.description()));
        checkConcurrency(identity.account());
        if (target.kind() == TargetKind.LOCAL) {
            checks.add(HostMemoryCheck.check(settings, HostMemory.availableMb()));
        }
        checkTemplate();
        checkPermissions(identity);
        checks.add(cost());
        return new PreflightReport(checks);
    }

    private void checkConcurrency(String account) {
        AccountLimit limit;
        try (LambdaClient lambda = target.lambda()) {
            limit = lambda.getAccountSettings().accountLimit();
        } catch (SdkException e) {
            checks.add(PreflightCheck.fail("concurrency", "cannot read the account's Lambda settings: " + firstLine(e),
                    "allow lambda:GetAccountSettings (docs/aws/benchmark-role-policy.json has it)"));
            return;
        }
        int unreserved = limit.unreservedConcurrentExecutions();
        int reserve = target.minimumUnreservedConcurrency();
        int functions = settings.strategies().size();
        int provisioned = functions * settings.provisionedConcurrency();
        // Burst arrivals beyond provisioned concurrency run on on-demand environments at the same time.
        long spillover = functions * Math.max(0, settings.burst().arrivals() - settings.provisionedConcurrency());
        String numbers = String.format(Locale.ROOT, "account %s in %s: %d concurrent executions, %d unreserved;"
                        + " this run provisions %d x %d = %d and its burst needs up to %d more on demand",
                account, target.region().id(), limit.concurrentExecutions(), unreserved, functions,
                settings.provisionedConcurrency(), provisioned, spillover);
        int highestProvisioned = Math.max(0, (unreserved - reserve) / functions);
        if (provisioned > unreserved - reserve) {
            checks.add(PreflightCheck.fail("concurrency", numbers + "; provisioned concurrency must leave at least "
                    + reserve + " unreserved (" + provisioned + " + " + reserve + " > " + unreserved + ")",
                    "lower --provisioned-concurrency to " + highestProvisioned + " or less, or request a higher"
                            + " 'Concurrent executions' quota for Lambda in " + target.region().id()
                            + " (Service Quotas console, quota code L-B99A9384)"));
        } else if (provisioned + spillover > unreserved) {
            checks.add(PreflightCheck.fail("concurrency", numbers + "; the burst would be throttled ("
                    + provisioned + " + " + spillover + " > " + unreserved + ")",
                    "lower --burst-extra-arrivals (the burst's arrivals beyond provisioned concurrency) or request"
                            + " a higher 'Concurrent executions' quota (quota code L-B99A9384)"));
        } else {
            checks.add(PreflightCheck.pass("concurrency", numbers));
        }
    }

    private void checkTemplate() {
        try (CloudFormationClient cloudFormation = target.cloudFormation()) {
            ValidateTemplateResponse validated = cloudFormation.validateTemplate(b -> b.templateBody(templateBody));
            Set<String> declared = validated.parameters().stream().map(p -> p.parameterKey())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> missing = new TreeSet<>(TEMPLATE_PARAMETERS);
            missing.removeAll(declared);
            List<String> capabilities = validated.capabilitiesAsStrings();
            if (!missing.isEmpty()) {
                checks.add(PreflightCheck.fail("template", "template.yaml lacks parameters the run passes: " + missing,
                        "restore them in template.yaml"));
            } else if (!Set.of("CAPABILITY_IAM").containsAll(capabilities)) {
                checks.add(PreflightCheck.fail("template", "template.yaml needs " + capabilities + "; the run"
                        + " acknowledges CAPABILITY_IAM only", "keep IAM resources unnamed (no RoleName)"));
            } else {
                checks.add(PreflightCheck.pass("template", "valid; " + declared.size() + " parameters, capabilities "
                        + capabilities));
            }
        } catch (SdkException e) {
            checks.add(PreflightCheck.fail("template", "ValidateTemplate refused template.yaml: " + firstLine(e),
                    e instanceof AwsServiceException s && "AccessDenied".equals(s.awsErrorDetails().errorCode())
                            ? "allow cloudformation:ValidateTemplate" : "fix the template (cfn-lint template.yaml)"));
        }
    }

    private void checkPermissions(GetCallerIdentityResponse identity) {
        String partition = identity.arn().split(":")[1];
        try (IamClient iam = target.iam()) {
            String principal = simulationPrincipal(iam, identity.arn());
            List<RequiredPermission> required = RunPermissions.of(partition, target.region().id(), identity.account(),
                    runId, principal, settings.bucket().orElse(ProjectTags.bucketName(runId)),
                    settings.bucket().isEmpty(), HandlerPermissions.resourceTypes(templateBody),
                    HandlerPermissions.load());
            Map<String, List<RequiredPermission>> byRequest = new LinkedHashMap<>();
            for (RequiredPermission permission : required) {
                byRequest.computeIfAbsent(permission.resource() + " " + permission.context(), k -> new ArrayList<>())
                        .add(permission);
            }
            List<String> denied = new ArrayList<>();
            for (List<RequiredPermission> group : byRequest.values()) {
                RequiredPermission first = group.get(0);
                List<String> actions = group.stream().map(RequiredPermission::action).distinct().toList();
                List<ContextEntry> context = first.context().entrySet().stream().map(e -> ContextEntry.builder()
                        .contextKeyName(e.getKey()).contextKeyType(ContextKeyTypeEnum.STRING)
                        .contextKeyValues(e.getValue()).build()).toList();
                for (EvaluationResult result : iam.simulatePrincipalPolicyPaginator(b -> b.policySourceArn(principal)
                        .actionNames(actions).resourceArns(first.resource()).contextEntries(context))
                        .evaluationResults()) {
                    if (!"allowed".equals(result.evalDecisionAsString())) {
                        String usedBy = group.stream().filter(p -> p.action().equalsIgnoreCase(result.evalActionName()))
                                .map(RequiredPermission::usedBy).distinct().collect(Collectors.joining(", "));
                        denied.add(result.evalActionName() + " on " + result.evalResourceName() + " ("
                                + result.evalDecisionAsString() + ", used by " + usedBy + ")");
                    }
                }
            }
            if (denied.isEmpty()) {
                checks.add(PreflightCheck.pass("permissions", "all " + required.size() + " actions the run uses are"
                        + " allowed for " + principal + " (IAM policy simulator)"));
            } else {
                checks.add(PreflightCheck.fail("permissions", denied.size() + " of " + required.size() + " actions"
                                + " are not allowed for " + principal + ":\n         - " + String.join("\n         - ", denied),
                        String.format(Locale.ROOT, POLICY_FIX, principal, identity.account())));
            }
        } catch (SdkException e) {
            checks.add(PreflightCheck.warn("permissions", "not checked: the policy simulator refused: " + firstLine(e),
                    ROOT.matcher(identity.arn()).matches()
                            ? "these are root credentials, which may do everything; use an IAM role or user instead"
                            : "allow iam:SimulatePrincipalPolicy and iam:GetRole on " + identity.arn()
                                    + " to have the permissions checked before anything is created"));
        }
    }

    /** The IAM role behind an assumed-role session (the simulator takes users and roles, not sessions). */
    private static String simulationPrincipal(IamClient iam, String callerArn) {
        Matcher assumed = ASSUMED_ROLE.matcher(callerArn);
        if (!assumed.matches()) {
            return callerArn;
        }
        return iam.getRole(b -> b.roleName(assumed.group(3))).role().arn();
    }

    private PreflightCheck cost() {
        if (target.kind() == TargetKind.LOCAL) {
            return PreflightCheck.pass("cost", "none: the local cloud runs on this machine");
        }
        return PreflightCheck.pass("cost", CostEstimate.of(settings).describe().replace("\n", "\n       "));
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
