package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.PageTokens;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.StackInfo;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.QueryParameters;
import dev.initbench.localcloud.protocol.QueryService;
import dev.initbench.localcloud.s3.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The local CloudFormation service (awsQuery, API version 2010-05-15): validates templates, creates and deletes
 * stacks through the {@link ResourceProvider}s of the other local services, and answers the describe/list calls
 * the SDK, its waiters and paginators make. Results are maps and lists in the shapes of the service model.
 *
 * <p>Stack operations run in the background like on AWS: {@code CreateStack} and {@code DeleteStack} return at
 * once and the stack's status and events show the progress.
 */
public final class CloudFormationService implements QueryService, AutoCloseable {

    static final int PAGE_SIZE = 100;
    private static final PageTokens PAGE_TOKENS = new PageTokens(token -> validation("Invalid NextToken '" + token
            + "': pass the NextToken of the previous response"));
    /** AWS's limits: 51,200 bytes in the request, 1 MB through S3. */
    private static final int MAX_TEMPLATE_BODY_BYTES = 51_200;
    private static final int MAX_TEMPLATE_URL_BYTES = 1_000_000;
    private static final Pattern STACK_NAME = Pattern.compile("[a-zA-Z][-a-zA-Z0-9]*");
    private static final Set<String> CAPABILITIES = Set.of("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
            "CAPABILITY_AUTO_EXPAND");
    private static final Set<String> IAM_NAME_PROPERTIES = Set.of("RoleName", "UserName", "GroupName",
            "ManagedPolicyName", "InstanceProfileName");
    private static final Set<String> ON_FAILURE = Set.of("DO_NOTHING", "ROLLBACK", "DELETE");

    private final CloudContext context;
    private final ObjectReader templateObjects;
    private final StackStore store;
    private final ExecutorService executor;
    private final StackEngine engine;

    /**
     * @param context         region and account of the stacks' ARNs and pseudo parameters
     * @param providers       one provider per supported resource type
     * @param templateObjects where {@code TemplateURL}s are read from (the local S3)
     * @param dataDirectory   when present, stacks are persisted under {@code <dir>/cloudformation/} and restored
     */
    public CloudFormationService(CloudContext context, List<ResourceProvider> providers, ObjectReader templateObjects,
                                 Optional<Path> dataDirectory) {
        this.context = context;
        this.templateObjects = templateObjects;
        Map<String, ResourceProvider> byType = new LinkedHashMap<>();
        for (ResourceProvider provider : providers) {
            if (byType.putIfAbsent(provider.resourceType(), provider) != null) {
                throw new IllegalArgumentException("two resource providers for " + provider.resourceType()
                        + ": pass exactly one per type");
            }
        }
        this.store = new StackStore(dataDirectory);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "cloudformation-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.engine = new StackEngine(store, byType, executor);
        failInterruptedOperations();
    }

    @Override
    public String xmlNamespace() {
        return "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    }

    @Override
    public Map<String, Object> handle(String action, QueryParameters parameters) {
        if (executor.isShutdown()) {
            throw new IllegalStateException("the local CloudFormation service is closed");
        }
        try {
            return switch (action) {
                case "CreateStack" -> createStack(parameters);
                case "DescribeStacks" -> describeStacks(parameters);
                case "DescribeStackEvents" -> describeStackEvents(parameters);
                case "DescribeStackResources" -> describeStackResources(parameters);
                case "DescribeStackResource" -> describeStackResource(parameters);
                case "ListStackResources" -> listStackResources(parameters);
                case "ListStacks" -> listStacks(parameters);
                case "DeleteStack" -> deleteStack(parameters);
                case "ValidateTemplate" -> validateTemplate(parameters);
                case "GetTemplate" -> getTemplate(parameters);
                default -> throw new NotEmulatedException("CloudFormation action " + action
                        + " is not emulated by the local cloud");
            };
        } catch (TemplateException e) {
            throw new AwsServiceException("ValidationError", 400, e.getMessage());
        }
    }

    /** Stops the background work; stacks stay as they are (deleting them is the caller's decision). */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- actions

    private Map<String, Object> createStack(QueryParameters request) {
        String stackName = request.required("StackName");
        if (stackName.length() > 128 || !STACK_NAME.matcher(stackName).matches()) {
            throw validation("1 validation error detected: Value '" + stackName + "' at 'stackName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* "
                    + "and have length less than or equal to 128");
        }
        if (store.find(stackName).isPresent()) {
            throw new AwsServiceException("AlreadyExistsException", 400, "Stack [" + stackName + "] already exists");
        }
        String onFailure = onFailure(request);
        Template template = Template.parse(templateBody(request));
        if (!template.transforms().isEmpty()) {
            throw validation("Template format error: Transform " + template.transforms() + " is not supported by "
                    + "the local cloud: deploy the processed template instead");
        }
        engine.requireKnownAttributes(template);
        Map<String, Object> parameterValues = new LinkedHashMap<>();
        List<StackRecord.ParameterValue> shownParameters = parameterValues(template, request, parameterValues);
        List<String> capabilities = request.list("Capabilities");
        requireCapabilities(template, capabilities);

        String stackId = "arn:" + partition() + ":cloudformation:" + context.region() + ":" + context.accountId()
                + ":stack/" + stackName + "/" + UUID.randomUUID();
        StackInfo stack = new StackInfo(stackName, stackId, context.region(), context.accountId());
        StackScope scope = new StackScope(template, stack, parameterValues, logicalId -> store.read(stacks ->
                Optional.ofNullable(stacks.get(stackId).resources.get(logicalId))
                        .map(resource -> resource.provisioned)));

        StackRecord record = new StackRecord();
        record.stackId = stackId;
        record.stackName = stackName;
        record.description = template.description().orElse(null);
        record.templateBody = template.body();
        record.creationTime = Instant.now().toString();
        record.disableRollback = onFailure.equals("DO_NOTHING");
        record.onFailure = onFailure;
        record.parameters = shownParameters;
        record.capabilities = new ArrayList<>(capabilities);
        for (QueryParameters tag : request.structures("Tags")) {
            record.tags.put(tag.required("Key"), tag.get("Value").orElse(""));
        }
        record.recordStackEvent("CREATE_IN_PROGRESS", "User Initiated");
        store.add(record);
        engine.create(stackId, template, scope, stack);
        return result("StackId", stackId);
    }

    private Map<String, Object> describeStacks(QueryParameters request) {
        Optional<String> stackName = request.get("StackName");
        List<Map<String, Object>> stacks = stackName.isPresent()
                ? List.of(store.readStack(stackName.get(), this::stack))
                : store.read(all -> all.values().stream().filter(stack -> !stack.isDeleted()).map(this::stack)
                        .toList());
        return page(stacks, request, "Stacks");
    }

    private Map<String, Object> describeStackEvents(QueryParameters request) {
        List<Map<String, Object>> events = store.readStack(request.required("StackName"), stack -> {
            List<Map<String, Object>> rendered = new ArrayList<>();
            for (int i = stack.events.size() - 1; i >= 0; i--) {
                StackRecord.Event event = stack.events.get(i);
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("StackId", stack.stackId);
                member.put("EventId", event.eventId());
                member.put("StackName", stack.stackName);
                member.put("LogicalResourceId", event.logicalResourceId());
                member.put("PhysicalResourceId", event.physicalResourceId());
                member.put("ResourceType", event.resourceType());
                member.put("Timestamp", Instant.parse(event.timestamp()));
                member.put("ResourceStatus", event.resourceStatus());
                member.put("ResourceStatusReason", event.resourceStatusReason());
                rendered.add(member);
            }
            return rendered;
        });
        return page(events, request, "StackEvents");
    }

    private Map<String, Object> describeStackResources(QueryParameters request) {
        Optional<String> logicalId = request.get("LogicalResourceId");
        Optional<String> physicalId = request.get("PhysicalResourceId");
        String stackNameOrId = request.get("StackName").orElseGet(() -> physicalId
                .map(this::stackOfPhysicalId)
                .orElseThrow(() -> validation("Either StackName or PhysicalResourceId must be specified")));
        List<Map<String, Object>> resources = store.readStack(stackNameOrId, stack -> stack.resources.values().stream()
                .filter(resource -> logicalId.map(resource.logicalId::equals).orElse(true))
                .map(resource -> resourceMember(Optional.of(stack), resource, "Timestamp")).toList());
        return result("StackResources", resources);
    }

    private Map<String, Object> describeStackResource(QueryParameters request) {
        String logicalId = request.required("LogicalResourceId");
        Map<String, Object> detail = store.readStack(request.required("StackName"), stack -> {
            StackRecord.Resource resource = stack.resources.get(logicalId);
            if (resource == null) {
                throw validation("Resource " + logicalId + " does not exist for stack " + stack.stackName);
            }
            return resourceMember(Optional.of(stack), resource, "LastUpdatedTimestamp");
        });
        return result("StackResourceDetail", detail);
    }

    private Map<String, Object> listStackResources(QueryParameters request) {
        List<Map<String, Object>> summaries = store.readStack(request.required("StackName"), stack ->
                stack.resources.values().stream()
                        .map(resource -> resourceMember(Optional.empty(), resource, "LastUpdatedTimestamp")).toList());
        return page(summaries, request, "StackResourceSummaries");
    }

    private Map<String, Object> listStacks(QueryParameters request) {
        Set<String> statuses = new LinkedHashSet<>(request.list("StackStatusFilter"));
        List<Map<String, Object>> summaries = store.read(all -> all.values().stream()
                .filter(stack -> statuses.isEmpty() || statuses.contains(stack.status))
                .sorted(Comparator.comparing((StackRecord stack) -> stack.creationTime).reversed())
                .map(stack -> {
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("StackId", stack.stackId);
                    member.put("StackName", stack.stackName);
                    member.put("TemplateDescription", stack.description);
                    member.put("CreationTime", Instant.parse(stack.creationTime));
                    member.put("DeletionTime", instant(stack.deletionTime));
                    member.put("StackStatus", stack.status);
                    member.put("StackStatusReason", stack.statusReason);
                    member.put("DriftInformation", Map.of("StackDriftStatus", "NOT_CHECKED"));
                    return (Map<String, Object>) member;
                }).toList());
        return page(summaries, request, "StackSummaries");
    }

    private Map<String, Object> deleteStack(QueryParameters request) {
        store.find(request.required("StackName")).map(stack -> stack.stackId).ifPresent(engine::delete);
        return null;
    }

    private Map<String, Object> validateTemplate(QueryParameters request) {
        Template template = Template.parse(templateBody(request));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Parameters", template.parameters().values().stream().map(parameter -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("ParameterKey", parameter.name());
            member.put("DefaultValue", parameter.defaultValue().orElse(null));
            member.put("NoEcho", parameter.noEcho());
            member.put("Description", parameter.description().orElse(null));
            return member;
        }).toList());
        result.put("Description", template.description().orElse(null));
        Optional<String> capability = requiredCapability(template);
        result.put("Capabilities", capability.map(List::of).orElse(List.of()));
        result.put("CapabilitiesReason", capability.map(required -> "The following resource(s) require "
                + "capabilities: " + iamTypes(template)).orElse(null));
        result.put("DeclaredTransforms", template.transforms());
        return result;
    }

    private Map<String, Object> getTemplate(QueryParameters request) {
        if (request.get("ChangeSetName").isPresent()) {
            throw validation("ChangeSetName is not supported by the local cloud: it has no change sets");
        }
        String body = store.readStack(request.required("StackName"), stack -> stack.templateBody);
        Map<String, Object> result = result("TemplateBody", body);
        result.put("StagesAvailable", List.of("Original", "Processed"));
        return result;
    }

    // ---------------------------------------------------------------- request helpers

    private String templateBody(QueryParameters request) {
        Optional<String> body = request.get("TemplateBody");
        Optional<String> url = request.get("TemplateURL");
        if (body.isPresent() == url.isPresent()) {
            throw validation("Specify exactly one of TemplateBody or TemplateUrl.");
        }
        if (body.isPresent()) {
            if (body.get().getBytes(StandardCharsets.UTF_8).length > MAX_TEMPLATE_BODY_BYTES) {
                throw validation("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: "
                        + "Member must have length less than or equal to " + MAX_TEMPLATE_BODY_BYTES
                        + "; upload a larger template to S3 and pass its TemplateURL");
            }
            return body.get();
        }
        TemplateLocation location = TemplateLocation.parse(url.get(), context.endpoint());
        byte[] template;
        try {
            template = templateObjects.getObject(location.bucket(), location.key());
        } catch (AwsServiceException e) {
            throw validation("TemplateURL must reference a valid S3 object to which you have access: "
                    + e.errorCode() + " for s3://" + location.bucket() + "/" + location.key());
        }
        if (template.length > MAX_TEMPLATE_URL_BYTES) {
            throw validation("Template may not exceed " + MAX_TEMPLATE_URL_BYTES + " bytes in size.");
        }
        return new String(template, StandardCharsets.UTF_8);
    }

    private static String onFailure(QueryParameters request) {
        Optional<String> onFailure = request.get("OnFailure");
        Optional<String> disableRollback = request.get("DisableRollback");
        if (onFailure.isPresent() && disableRollback.isPresent()) {
            throw validation("You cannot specify both OnFailure and DisableRollback.");
        }
        if (onFailure.isPresent() && !ON_FAILURE.contains(onFailure.get())) {
            throw validation("1 validation error detected: Value '" + onFailure.get() + "' at 'onFailure' failed "
                    + "to satisfy constraint: Member must satisfy enum value set: " + ON_FAILURE);
        }
        return onFailure.orElse(disableRollback.map(Boolean::parseBoolean).orElse(false) ? "DO_NOTHING" : "ROLLBACK");
    }

    /** Validates the given parameters; fills {@code values} for Ref and returns what DescribeStacks shows. */
    private static List<StackRecord.ParameterValue> parameterValues(Template template, QueryParameters request,
                                                                    Map<String, Object> values) {
        Map<String, String> given = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (QueryParameters parameter : request.structures("Parameters")) {
            String key = parameter.required("ParameterKey");
            if (!template.parameters().containsKey(key)) {
                unknown.add(key);
            }
            if (parameter.get("UsePreviousValue").map(Boolean::parseBoolean).orElse(false)) {
                throw validation("Parameter '" + key + "': UsePreviousValue is only valid when updating a stack");
            }
            parameter.get("ParameterValue").ifPresent(value -> given.put(key, value));
        }
        if (!unknown.isEmpty()) {
            throw validation("Parameters: " + unknown + " do not exist in the template");
        }
        List<String> missing = template.parameters().values().stream()
                .filter(declaration -> !given.containsKey(declaration.name()) && declaration.defaultValue().isEmpty())
                .map(ParameterDeclaration::name).toList();
        if (!missing.isEmpty()) {
            throw validation("Parameters: " + missing + " must have values");
        }
        List<StackRecord.ParameterValue> shown = new ArrayList<>();
        for (ParameterDeclaration declaration : template.parameters().values()) {
            String value = given.getOrDefault(declaration.name(), declaration.defaultValue().orElse(null));
            values.put(declaration.name(), declaration.validate(value));
            shown.add(new StackRecord.ParameterValue(declaration.name(), value, declaration.noEcho()));
        }
        return shown;
    }

    private static void requireCapabilities(Template template, List<String> given) {
        for (String capability : given) {
            if (!CAPABILITIES.contains(capability)) {
                throw validation("1 validation error detected: Value '" + capability + "' at 'capabilities' failed "
                        + "to satisfy constraint: Member must satisfy enum value set: " + CAPABILITIES);
            }
        }
        requiredCapability(template).ifPresent(required -> {
            boolean granted = given.contains("CAPABILITY_NAMED_IAM")
                    || (required.equals("CAPABILITY_IAM") && given.contains("CAPABILITY_IAM"));
            if (!granted) {
                throw new AwsServiceException("InsufficientCapabilitiesException", 400,
                        "Requires capabilities : [" + required + "]");
            }
        });
    }

    /** CAPABILITY_NAMED_IAM when an IAM resource is given a name, CAPABILITY_IAM for any other IAM resource. */
    private static Optional<String> requiredCapability(Template template) {
        List<Template.ResourceDefinition> iam = template.resources().values().stream()
                .filter(resource -> resource.type().startsWith("AWS::IAM::")).toList();
        if (iam.isEmpty()) {
            return Optional.empty();
        }
        boolean named = iam.stream().anyMatch(resource -> resource.properties().keySet().stream()
                .anyMatch(IAM_NAME_PROPERTIES::contains));
        return Optional.of(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
    }

    private static List<String> iamTypes(Template template) {
        return template.resources().values().stream().map(Template.ResourceDefinition::type)
                .filter(type -> type.startsWith("AWS::IAM::")).distinct().toList();
    }

    private String stackOfPhysicalId(String physicalId) {
        return store.read(all -> all.values().stream()
                .filter(stack -> stack.resources.values().stream()
                        .anyMatch(resource -> physicalId.equals(physicalId(resource))))
                .map(stack -> stack.stackId)
                .findFirst()
                .orElseThrow(() -> validation("Stack for " + physicalId + " does not exist")));
    }

    // ---------------------------------------------------------------- rendering

    private Map<String, Object> stack(StackRecord stack) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("StackId", stack.stackId);
        member.put("StackName", stack.stackName);
        member.put("Description", stack.description);
        member.put("Parameters", stack.parameters.stream().map(parameter -> {
            Map<String, Object> rendered = new LinkedHashMap<>();
            rendered.put("ParameterKey", parameter.key());
            rendered.put("ParameterValue", parameter.noEcho() ? "****" : parameter.value());
            return rendered;
        }).toList());
        member.put("CreationTime", Instant.parse(stack.creationTime));
        member.put("DeletionTime", instant(stack.deletionTime));
        member.put("StackStatus", stack.status);
        member.put("StackStatusReason", stack.statusReason);
        member.put("DisableRollback", stack.disableRollback);
        member.put("NotificationARNs", List.of());
        member.put("Capabilities", List.copyOf(stack.capabilities));
        member.put("Outputs", stack.outputs.stream().map(output -> {
            Map<String, Object> rendered = new LinkedHashMap<>();
            rendered.put("OutputKey", output.key());
            rendered.put("OutputValue", output.value());
            rendered.put("Description", output.description());
            rendered.put("ExportName", output.exportName());
            return rendered;
        }).toList());
        member.put("Tags", stack.tags.entrySet().stream().map(tag -> {
            Map<String, Object> rendered = new LinkedHashMap<>();
            rendered.put("Key", tag.getKey());
            rendered.put("Value", tag.getValue());
            return rendered;
        }).toList());
        member.put("EnableTerminationProtection", false);
        member.put("DriftInformation", Map.of("StackDriftStatus", "NOT_CHECKED"));
        return member;
    }

    /**
     * One resource as StackResource, StackResourceDetail or StackResourceSummary: the same members in the same
     * order, with or without the stack's name and id first, and the timestamp under the shape's name for it.
     */
    private static Map<String, Object> resourceMember(Optional<StackRecord> stack, StackRecord.Resource resource,
                                                      String timestampName) {
        Map<String, Object> member = new LinkedHashMap<>();
        stack.ifPresent(owner -> {
            member.put("StackName", owner.stackName);
            member.put("StackId", owner.stackId);
        });
        member.put("LogicalResourceId", resource.logicalId);
        member.put("PhysicalResourceId", physicalId(resource));
        member.put("ResourceType", resource.type);
        member.put(timestampName, Instant.parse(resource.timestamp));
        member.put("ResourceStatus", resource.status);
        member.put("ResourceStatusReason", resource.statusReason);
        member.put("DriftInformation", Map.of("StackResourceDriftStatus", "NOT_CHECKED"));
        return member;
    }

    private static String physicalId(StackRecord.Resource resource) {
        return resource.provisioned == null ? null : resource.provisioned.physicalId();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /** One page of {@link #PAGE_SIZE} members and, when more follow, an opaque NextToken. */
    private static Map<String, Object> page(List<Map<String, Object>> members, QueryParameters request,
                                            String listName) {
        PageTokens.Page<Map<String, Object>> page = PAGE_TOKENS.page(listName, members, request.get("NextToken"),
                PAGE_SIZE);
        Map<String, Object> result = result(listName, page.items());
        page.nextToken().ifPresent(token -> result.put("NextToken", token));
        return result;
    }

    private static Map<String, Object> result(String name, Object value) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(name, value);
        return result;
    }

    private static AwsServiceException validation(String message) {
        return new AwsServiceException("ValidationError", 400, message);
    }

    private String partition() {
        return context.region().startsWith("cn-") ? "aws-cn"
                : context.region().startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** A stack restored mid-operation cannot continue (its worker died with the process): mark it failed. */
    private void failInterruptedOperations() {
        Map<String, String> failedStatus = Map.of("CREATE_IN_PROGRESS", "CREATE_FAILED",
                "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "DELETE_IN_PROGRESS", "DELETE_FAILED");
        Function<StackRecord, Boolean> interrupted = stack -> failedStatus.containsKey(stack.status);
        if (store.read(all -> all.values().stream().noneMatch(interrupted::apply))) {
            return;
        }
        store.changeAll(stack -> {
            if (interrupted.apply(stack)) {
                String reason = "The local cloud stopped while this stack operation was in progress; delete the "
                        + "stack to remove what it created";
                stack.resources.values().stream().filter(resource -> failedStatus.containsKey(resource.status))
                        .forEach(resource -> {
                            resource.status = failedStatus.get(resource.status).replace("ROLLBACK", "DELETE");
                            resource.statusReason = reason;
                        });
                stack.recordStackEvent(failedStatus.get(stack.status), reason);
            }
        });
    }
}
