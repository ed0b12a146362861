package dev.initbench.localcloud.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.initbench.json.Json;
import dev.initbench.localcloud.resource.AbstractResourceProvider;
import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;
import dev.initbench.localcloud.iam.RoleStore.Role;
import dev.initbench.localcloud.protocol.AwsServiceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code AWS::IAM::Role}: Ref is the role name; GetAtt {@code Arn} and {@code RoleId}. Without {@code RoleName}
 * CloudFormation generates {@code <stack>-<logical id>-<random>} (at most 64 characters). Inline {@code Policies}
 * and {@code ManagedPolicyArns} are recorded on the role.
 */
final class RoleResourceProvider extends AbstractResourceProvider {

    private final IamService service;

    RoleResourceProvider(IamService service) {
        super("AWS::IAM::Role", Set.of("AssumeRolePolicyDocument"), Set.of("Arn", "RoleId"));
        this.service = service;
    }

    @Override
    public ProvisionedResource create(ResourceRequest request) {
        String name = request.stringProperty("RoleName").orElseGet(() -> request.generatedName(64));
        Role role;
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            for (Map<?, ?> tag : maps(request, "Tags")) {
                tags.put(String.valueOf(tag.get("Key")), String.valueOf(tag.get("Value")));
            }
            role = service.createRole(name, request.stringProperty("Path").orElse("/"),
                    document(request.property("AssumeRolePolicyDocument").orElseThrow()),
                    request.stringProperty("Description").orElse(null),
                    request.stringProperty("MaxSessionDuration").map(Integer::parseInt).orElse(3600), tags);
        } catch (AwsServiceException | NumberFormatException e) {
            throw failed(e);
        }
        try {
            for (Map<?, ?> policy : maps(request, "Policies")) {
                Object policyName = policy.get("PolicyName");
                Object policyDocument = policy.get("PolicyDocument");
                if (policyName == null || policyDocument == null) {
                    throw new ResourceFailedException("Each entry of Policies of " + request.logicalId()
                            + " needs PolicyName and PolicyDocument.");
                }
                service.putRolePolicy(name, String.valueOf(policyName), document(policyDocument));
            }
            for (Object arn : list(request, "ManagedPolicyArns")) {
                service.attachRolePolicy(name, String.valueOf(arn));
            }
        } catch (AwsServiceException | ResourceFailedException e) {
            delete(new ProvisionedResource(resourceType(), request.logicalId(), name, name, Map.of()));
            throw e instanceof ResourceFailedException failed ? failed : failed((AwsServiceException) e);
        }
        return new ProvisionedResource(resourceType(), request.logicalId(), name, name,
                Map.of("Arn", role.arn(), "RoleId", role.roleId()));
    }

    /** Only {@code RoleName} and {@code Path} replace the role (the schema's createOnlyProperties). */
    @Override
    public Optional<Set<String>> createOnlyProperties() {
        return Optional.of(Set.of("RoleName", "Path"));
    }

    /**
     * Applies what changed the way CloudFormation does: the trust policy, description, session duration and tags
     * on the role; inline policies put, changed or deleted; managed policies attached or detached.
     */
    @Override
    public ProvisionedResource update(ResourceUpdate update) {
        ResourceRequest request = update.request();
        String name = update.current().physicalId();
        try {
            Role role = service.existing(name);
            Map<String, String> tags = new LinkedHashMap<>();
            for (Map<?, ?> tag : maps(request, "Tags")) {
                tags.put(String.valueOf(tag.get("Key")), String.valueOf(tag.get("Value")));
            }
            service.store().replace(new Role(role.roleName(), role.roleId(), role.path(), role.arn(),
                    role.createdMillis(), document(request.property("AssumeRolePolicyDocument").orElseThrow()),
                    request.stringProperty("Description").orElse(null),
                    request.stringProperty("MaxSessionDuration").map(Integer::parseInt).orElse(3600),
                    role.inlinePolicies(), role.attachedPolicyArns(), tags));
            Map<String, String> policies = new LinkedHashMap<>();
            for (Map<?, ?> policy : maps(request, "Policies")) {
                if (policy.get("PolicyName") == null || policy.get("PolicyDocument") == null) {
                    throw new ResourceFailedException("Each entry of Policies of " + request.logicalId()
                            + " needs PolicyName and PolicyDocument.");
                }
                policies.put(String.valueOf(policy.get("PolicyName")), document(policy.get("PolicyDocument")));
            }
            role.inlinePolicies().keySet().stream().filter(policy -> !policies.containsKey(policy)).toList()
                    .forEach(policy -> service.deleteRolePolicy(name, policy));
            policies.forEach((policy, document) -> service.putRolePolicy(name, policy, document));
            List<String> managed = list(request, "ManagedPolicyArns").stream().map(String::valueOf).toList();
            role.attachedPolicyArns().stream().filter(arn -> !managed.contains(arn)).toList()
                    .forEach(arn -> service.detachRolePolicy(name, arn));
            managed.forEach(arn -> service.attachRolePolicy(name, arn));
        } catch (AwsServiceException | NumberFormatException e) {
            throw failed(e);
        }
        return update.current();
    }

    /** Detaches and deletes its policies first, as CloudFormation does; a role that is gone counts as deleted. */
    @Override
    public void delete(ProvisionedResource resource) {
        service.store().get(resource.physicalId()).ifPresent(role -> {
            role.attachedPolicyArns().forEach(arn -> service.detachRolePolicy(role.roleName(), arn));
            role.inlinePolicies().keySet().forEach(policy -> service.deleteRolePolicy(role.roleName(), policy));
            service.deleteRole(role.roleName());
        });
    }

    private static List<?> list(ResourceRequest request, String property) {
        Object value = request.property(property).orElse(List.of());
        if (!(value instanceof List<?> list)) {
            throw new ResourceFailedException("Property " + property + " of " + request.logicalId()
                    + " must be a list, got " + value);
        }
        return list;
    }

    private static List<Map<?, ?>> maps(ResourceRequest request, String property) {
        return list(request, property).stream().<Map<?, ?>>map(item -> {
            if (!(item instanceof Map<?, ?> map)) {
                throw new ResourceFailedException("Each entry of " + property + " of " + request.logicalId()
                        + " must be an object, got " + item);
            }
            return map;
        }).toList();
    }

    /** A policy document given as a template object (or as JSON text) as the JSON text IAM stores. */
    private static String document(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return Json.WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ResourceFailedException("a policy document cannot be written as JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static ResourceFailedException failed(RuntimeException e) {
        if (e instanceof AwsServiceException aws) {
            return ResourceFailedException.handlerReturned("Iam", aws);
        }
        return new ResourceFailedException("Property MaxSessionDuration must be a number of seconds: "
                + e.getMessage(), e);
    }
}
