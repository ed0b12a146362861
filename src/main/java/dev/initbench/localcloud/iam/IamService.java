package dev.initbench.localcloud.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.initbench.json.Json;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.iam.RoleStore.Role;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.QueryParameters;
import dev.initbench.localcloud.protocol.QueryService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * IAM roles over awsQuery: CreateRole, GetRole, ListRoles, DeleteRole, PutRolePolicy, GetRolePolicy,
 * ListRolePolicies, DeleteRolePolicy, AttachRolePolicy, ListAttachedRolePolicies, DetachRolePolicy. Roles and
 * policies are recorded, never enforced: every signed request is allowed whatever its policies say. The policy
 * simulator (SimulatePrincipalPolicy) evaluates what is recorded: a role's inline policies, or the caller's
 * ({@link CallerIdentity}).
 */
public final class IamService implements QueryService {

    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/.+");
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private final CloudContext context;
    private final RoleStore store;
    private final CallerIdentity caller;

    public IamService(CloudContext context, RoleStore store) {
        this(context, store, CallerIdentity.root(context.accountId()));
    }

    public IamService(CloudContext context, RoleStore store, CallerIdentity caller) {
        this.context = context;
        this.store = store;
        this.caller = caller;
    }

    @Override
    public String xmlNamespace() {
        return "https://iam.amazonaws.com/doc/2010-05-08/";
    }

    /** The CloudFormation resource types this service provides: {@code AWS::IAM::Role}. */
    public List<ResourceProvider> resourceProviders() {
        return List.of(new RoleResourceProvider(this));
    }

    @Override
    public Map<String, Object> handle(String action, QueryParameters parameters) {
        return switch (action) {
            case "CreateRole" -> createRole(parameters);
            case "GetRole" -> Map.of("Role", render(existing(parameters.required("RoleName"))));
            case "ListRoles" -> listRoles(parameters);
            case "DeleteRole" -> deleteRole(parameters.required("RoleName"));
            case "PutRolePolicy" -> putRolePolicy(parameters);
            case "GetRolePolicy" -> getRolePolicy(parameters);
            case "ListRolePolicies" -> listRolePolicies(parameters);
            case "DeleteRolePolicy" -> deleteRolePolicy(parameters.required("RoleName"),
                    parameters.required("PolicyName"));
            case "AttachRolePolicy" -> attachRolePolicy(parameters.required("RoleName"),
                    parameters.required("PolicyArn"));
            case "ListAttachedRolePolicies" -> listAttachedRolePolicies(parameters);
            case "DetachRolePolicy" -> detachRolePolicy(parameters.required("RoleName"),
                    parameters.required("PolicyArn"));
            case "SimulatePrincipalPolicy" -> simulatePrincipalPolicy(parameters);
            default -> throw new NotEmulatedException("IAM action " + action + " is not emulated by the local cloud");
        };
    }

    private Map<String, Object> createRole(QueryParameters parameters) {
        Map<String, String> tags = new LinkedHashMap<>();
        parameters.structures("Tags").forEach(tag -> tags.put(tag.required("Key"), tag.get("Value").orElse("")));
        Role role = createRole(parameters.required("RoleName"), parameters.get("Path").orElse("/"),
                parameters.required("AssumeRolePolicyDocument"), parameters.get("Description").orElse(null),
                parameters.get("MaxSessionDuration").map(IamService::sessionDuration).orElse(3600), tags);
        return Map.of("Role", render(role));
    }

    /** CreateRole's rules, shared with the CloudFormation resource provider. */
    Role createRole(String roleName, String path, String trustPolicy, String description, int maxSessionDuration,
                    Map<String, String> tags) {
        if (!ROLE_NAME.matcher(roleName).matches()) {
            throw new AwsServiceException("ValidationError", 400, "1 validation error detected: Value '" + roleName
                    + "' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "[\\w+=,.@-]+ and have length 1-64");
        }
        if (!path.startsWith("/") || !path.endsWith("/")) {
            throw new AwsServiceException("ValidationError", 400, "The specified value for path is invalid: '" + path
                    + "'. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
        }
        validatePolicy(trustPolicy, "AssumeRolePolicyDocument");
        Role role = new Role(roleName, newRoleId(), path, "arn:aws:iam::" + context.accountId() + ":role" + path
                + roleName, System.currentTimeMillis(), trustPolicy, description, maxSessionDuration, Map.of(),
                List.of(), tags);
        if (!store.add(role)) {
            throw new AwsServiceException("EntityAlreadyExists", 409, "Role with name " + roleName
                    + " already exists.");
        }
        return role;
    }

    private static int sessionDuration(String text) {
        try {
            int seconds = Integer.parseInt(text);
            if (seconds < 3600 || seconds > 43200) {
                throw new NumberFormatException(text);
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new AwsServiceException("ValidationError", 400, "1 validation error detected: Value '" + text
                    + "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 "
                    + "and 43200");
        }
    }

    private Map<String, Object> listRoles(QueryParameters parameters) {
        String prefix = parameters.get("PathPrefix").orElse("/");
        List<Object> roles = new ArrayList<>();
        store.all().stream().filter(r -> r.path().startsWith(prefix)).forEach(r -> roles.add(render(r)));
        return result("Roles", roles);
    }

    Map<String, Object> deleteRole(String roleName) {
        Role role = existing(roleName);
        if (!role.attachedPolicyArns().isEmpty()) {
            throw new AwsServiceException("DeleteConflict", 409, "Cannot delete entity, must detach all policies "
                    + "first: role " + roleName + " has " + role.attachedPolicyArns() + " attached.");
        }
        if (!role.inlinePolicies().isEmpty()) {
            throw new AwsServiceException("DeleteConflict", 409, "Cannot delete entity, must delete policies first: "
                    + "role " + roleName + " has inline policies " + role.inlinePolicies().keySet() + ".");
        }
        store.remove(roleName);
        return null;
    }

    private Map<String, Object> putRolePolicy(QueryParameters parameters) {
        putRolePolicy(parameters.required("RoleName"), parameters.required("PolicyName"),
                parameters.required("PolicyDocument"));
        return null;
    }

    void putRolePolicy(String roleName, String policyName, String document) {
        Role role = existing(roleName);
        if (!Pattern.matches("[\\w+=,.@-]{1,128}", policyName)) {
            throw new AwsServiceException("ValidationError", 400, "1 validation error detected: Value '" + policyName
                    + "' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: [\\w+=,.@-]+ and have length 1-128");
        }
        validatePolicy(document, "PolicyDocument");
        Map<String, String> policies = new LinkedHashMap<>(role.inlinePolicies());
        policies.put(policyName, document);
        store.replace(withPolicies(role, policies, role.attachedPolicyArns()));
    }

    private Map<String, Object> getRolePolicy(QueryParameters parameters) {
        String roleName = parameters.required("RoleName");
        String policyName = parameters.required("PolicyName");
        String document = existing(roleName).inlinePolicies().get(policyName);
        if (document == null) {
            throw new AwsServiceException("NoSuchEntity", 404, "The role policy with name " + policyName
                    + " cannot be found.");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("RoleName", roleName);
        result.put("PolicyName", policyName);
        result.put("PolicyDocument", urlEncoded(document));
        return result;
    }

    private Map<String, Object> listRolePolicies(QueryParameters parameters) {
        return result("PolicyNames", new ArrayList<>(existing(parameters.required("RoleName")).inlinePolicies()
                .keySet()));
    }

    Map<String, Object> deleteRolePolicy(String roleName, String policyName) {
        Role role = existing(roleName);
        if (!role.inlinePolicies().containsKey(policyName)) {
            throw new AwsServiceException("NoSuchEntity", 404, "The role policy with name " + policyName
                    + " cannot be found.");
        }
        Map<String, String> policies = new LinkedHashMap<>(role.inlinePolicies());
        policies.remove(policyName);
        store.replace(withPolicies(role, policies, role.attachedPolicyArns()));
        return null;
    }

    /**
     * Records the attachment. AWS checks that the managed policy exists; the local cloud has no managed policies,
     * so any well-formed policy ARN is accepted.
     */
    Map<String, Object> attachRolePolicy(String roleName, String policyArn) {
        Role role = existing(roleName);
        if (!POLICY_ARN.matcher(policyArn).matches()) {
            throw new AwsServiceException("InvalidInput", 400, "ARN " + policyArn + " is not valid: a managed policy "
                    + "ARN looks like arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>.");
        }
        if (!role.attachedPolicyArns().contains(policyArn)) {
            List<String> attached = new ArrayList<>(role.attachedPolicyArns());
            attached.add(policyArn);
            store.replace(withPolicies(role, role.inlinePolicies(), attached));
        }
        return null;
    }

    private Map<String, Object> listAttachedRolePolicies(QueryParameters parameters) {
        List<Object> attached = new ArrayList<>();
        for (String arn : existing(parameters.required("RoleName")).attachedPolicyArns()) {
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
            policy.put("PolicyArn", arn);
            attached.add(policy);
        }
        return result("AttachedPolicies", attached);
    }

    Map<String, Object> detachRolePolicy(String roleName, String policyArn) {
        Role role = existing(roleName);
        if (!role.attachedPolicyArns().contains(policyArn)) {
            throw new AwsServiceException("NoSuchEntity", 404, "Policy " + policyArn + " was not found attached to "
                    + "role " + roleName + ".");
        }
        List<String> attached = new ArrayList<>(role.attachedPolicyArns());
        attached.remove(policyArn);
        store.replace(withPolicies(role, role.inlinePolicies(), attached));
        return null;
    }

    /**
     * SimulatePrincipalPolicy over the recorded identity policies of a role or of the caller; the account root is
     * allowed everything. Managed policies attached to roles are not known locally, so only inline policies count.
     */
    private Map<String, Object> simulatePrincipalPolicy(QueryParameters parameters) {
        String source = parameters.required("PolicySourceArn");
        List<String> actions = parameters.list("ActionNames");
        if (actions.isEmpty()) {
            throw new AwsServiceException("InvalidInput", 400, "ActionNames must name at least one action.");
        }
        List<String> resources = parameters.list("ResourceArns");
        Map<String, List<String>> contextValues = new LinkedHashMap<>();
        for (QueryParameters entry : parameters.structures("ContextEntries")) {
            contextValues.put(entry.required("ContextKeyName").toLowerCase(java.util.Locale.ROOT),
                    entry.list("ContextKeyValues"));
        }
        boolean root = source.equals(CallerIdentity.root(context.accountId()).arn());
        List<PolicyEvaluator.NamedPolicy> policies = root ? List.of() : principalPolicies(source);
        List<Object> results = new ArrayList<>();
        for (String action : actions) {
            for (String resource : resources.isEmpty() ? List.of("*") : resources) {
                PolicyEvaluator.Evaluation evaluation = root
                        ? new PolicyEvaluator.Evaluation(PolicyEvaluator.Decision.ALLOWED, List.of(), List.of())
                        : PolicyEvaluator.evaluate(policies, action, resource, contextValues);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("EvalActionName", action);
                result.put("EvalResourceName", resource);
                result.put("EvalDecision", evaluation.decision().wireName());
                result.put("MatchedStatements", evaluation.matchedStatements().stream().<Object>map(id -> {
                    Map<String, Object> statement = new LinkedHashMap<>();
                    statement.put("SourcePolicyId", id);
                    statement.put("SourcePolicyType", "IAM Policy");
                    return statement;
                }).toList());
                result.put("MissingContextValues", new ArrayList<Object>(evaluation.missingContextKeys()));
                results.add(result);
            }
        }
        return result("EvaluationResults", results);
    }

    private List<PolicyEvaluator.NamedPolicy> principalPolicies(String arn) {
        if (arn.equals(caller.arn())) {
            return caller.policyDocument().map(d -> List.of(new PolicyEvaluator.NamedPolicy("caller-policy", d)))
                    .orElse(List.of());
        }
        String rolePrefix = "arn:aws:iam::" + context.accountId() + ":role/";
        if (arn.startsWith(rolePrefix)) {
            Role role = existing(arn.substring(arn.lastIndexOf('/') + 1));
            List<PolicyEvaluator.NamedPolicy> policies = new ArrayList<>();
            role.inlinePolicies().forEach((name, document) -> policies.add(new PolicyEvaluator.NamedPolicy(name, document)));
            return policies;
        }
        throw new AwsServiceException("NoSuchEntity", 404, "PolicySourceArn " + arn + " is not a user or role of "
                + "account " + context.accountId() + " (the local cloud knows its roles and the caller " + caller.arn()
                + ").");
    }

    Role existing(String roleName) {
        return store.get(roleName).orElseThrow(() -> new AwsServiceException("NoSuchEntity", 404,
                "The role with name " + roleName + " cannot be found."));
    }

    RoleStore store() {
        return store;
    }

    private static Role withPolicies(Role role, Map<String, String> inline, List<String> attached) {
        return new Role(role.roleName(), role.roleId(), role.path(), role.arn(), role.createdMillis(),
                role.assumeRolePolicyDocument(), role.description(), role.maxSessionDuration(), inline, attached,
                role.tags());
    }

    private static void validatePolicy(String document, String member) {
        try {
            if (!Json.READER.readTree(document).isObject()) {
                throw new AwsServiceException("MalformedPolicyDocument", 400, "This policy contains invalid Json: "
                        + member + " must be a JSON object.");
            }
        } catch (JsonProcessingException e) {
            throw new AwsServiceException("MalformedPolicyDocument", 400, "This policy contains invalid Json: "
                    + member + ": " + e.getOriginalMessage());
        }
    }

    private static Map<String, Object> render(Role role) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", role.path());
        out.put("RoleName", role.roleName());
        out.put("RoleId", role.roleId());
        out.put("Arn", role.arn());
        out.put("CreateDate", Instant.ofEpochMilli(role.createdMillis()));
        out.put("AssumeRolePolicyDocument", urlEncoded(role.assumeRolePolicyDocument()));
        out.put("Description", role.description());
        out.put("MaxSessionDuration", role.maxSessionDuration());
        if (!role.tags().isEmpty()) {
            List<Object> tags = new ArrayList<>();
            role.tags().forEach((key, value) -> {
                // Ordered as the IAM model orders Tag members.
                Map<String, Object> tag = new LinkedHashMap<>();
                tag.put("Key", key);
                tag.put("Value", value);
                tags.add(tag);
            });
            out.put("Tags", tags);
        }
        return out;
    }

    private static Map<String, Object> result(String listMember, List<Object> items) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(listMember, items);
        out.put("IsTruncated", false);
        return out;
    }

    /** IAM returns policy documents URL-encoded (RFC 3986). */
    private static String urlEncoded(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String newRoleId() {
        StringBuilder id = new StringBuilder("AROA");
        for (int i = 0; i < 17; i++) {
            id.append(ID_CHARS.charAt(ThreadLocalRandom.current().nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }
}
