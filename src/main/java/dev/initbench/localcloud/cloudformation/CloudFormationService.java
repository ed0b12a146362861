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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** The StatusReason of a change set without changes; {@code aws cloudformation deploy} looks for it. */
    static final String NO_CHANGES = "The submitted information didn't contain changes. Submit different "
            + "information to create a change set.";

    private final CloudContext context;
    private final ObjectReader templateObjects;
    private final StackStore store;
    private final ExecutorService executor;
    private final StackEngine engine;
    private final ChangePlanner planner;

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
        this.planner = new ChangePlanner(byType);
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
                case "GetTemplateSummary" -> getTemplateSummary(parameters);
                case "UpdateStack" -> updateStack(parameters);
                case "CreateChangeSet" -> createChangeSet(parameters);
                case "DescribeChangeSet" -> describeChangeSet(parameters);
                case "ExecuteChangeSet" -> executeChangeSet(parameters);
                case "DeleteChangeSet" -> deleteChangeSet(parameters);
                case "ListChangeSets" -> listChangeSets(parameters);
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
        Template template = deployableTemplate(templateBody(request));
        Map<String, Object> parameterValues = new LinkedHashMap<>();
        List<StackRecord.ParameterValue> shownParameters = parameterValues(template, request, parameterValues,
                Optional.empty());
        List<String> capabilities = request.list("Capabilities");
        requireCapabilities(template, capabilities);

        String stackId = "arn:" + partition() + ":cloudformation:" + context.region() + ":" + context.accountId()
                + ":stack/" + stackName + "/" + UUID.randomUUID();
        StackInfo stack = new StackInfo(stackName, stackId, context.region(), context.accountId());
        StackScope scope = scope(template, stack, parameterValues);

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
        record.recordStackEvent(StackStatus.CREATE_IN_PROGRESS, "User Initiated");
        store.add(record);
        engine.create(stackId, template, scope, stack, Optional.empty());
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
                member.put("ResourceStatus", event.statusName());
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
                .filter(stack -> statuses.isEmpty() || statuses.contains(stack.status.name()))
                .sorted(Comparator.comparing((StackRecord stack) -> stack.creationTime).reversed())
                .map(stack -> {
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("StackId", stack.stackId);
                    member.put("StackName", stack.stackName);
                    member.put("TemplateDescription", stack.description);
                    member.put("CreationTime", Instant.parse(stack.creationTime));
                    member.put("DeletionTime", instant(stack.deletionTime));
                    member.put("StackStatus", stack.status.name());
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

    // ---------------------------------------------------------------- updates and change sets

    /** A stack's new template and parameters, as UpdateStack or CreateChangeSet gives them, validated. */
    private record Proposal(Template template, Map<String, Object> values, List<StackRecord.ParameterValue> shown,
                            List<String> capabilities, Optional<Map<String, String>> tags) {
    }

    /** Validates the request's template, parameters and capabilities; {@code current} is the stack updated. */
    private Proposal proposal(QueryParameters request, Optional<StackRecord> current) {
        boolean usePreviousTemplate = request.get("UsePreviousTemplate").map(Boolean::parseBoolean).orElse(false);
        String body;
        if (usePreviousTemplate) {
            if (request.get("TemplateBody").isPresent() || request.get("TemplateURL").isPresent()) {
                throw validation("You cannot specify both usePreviousTemplate and Template Body/Template URL.");
            }
            body = current.map(stack -> stack.templateBody).orElseThrow(() ->
                    validation("UsePreviousTemplate is only valid when updating a stack that has a template"));
        } else {
            body = templateBody(request);
        }
        Template template = deployableTemplate(body);
        Map<String, Object> values = new LinkedHashMap<>();
        List<StackRecord.ParameterValue> shown = parameterValues(template, request, values,
                current.map(stack -> List.copyOf(stack.parameters)));
        List<String> capabilities = request.list("Capabilities");
        requireCapabilities(template, capabilities);
        Optional<Map<String, String>> tags = Optional.empty();
        if (!request.structures("Tags").isEmpty()) {
            Map<String, String> given = new LinkedHashMap<>();
            request.structures("Tags").forEach(tag -> given.put(tag.required("Key"), tag.get("Value").orElse("")));
            tags = Optional.of(given);
        }
        return new Proposal(template, values, shown, capabilities, tags);
    }

    /** A template the engine can deploy: parsed, without transforms, every Fn::GetAtt naming a known attribute. */
    private Template deployableTemplate(String body) {
        Template template = Template.parse(body);
        if (!template.transforms().isEmpty()) {
            throw validation("Template format error: Transform " + template.transforms() + " is not supported by "
                    + "the local cloud: deploy the processed template instead");
        }
        engine.requireKnownAttributes(template);
        return template;
    }

    /** A copy of the stack to plan against (read under the store's lock). */
    private StackRecord stackToUpdate(String stackName) {
        StackRecord stack = store.readStack(stackName, found -> {
            StackRecord copy = new StackRecord();
            copy.stackId = found.stackId;
            copy.stackName = found.stackName;
            copy.status = found.status;
            copy.templateBody = found.templateBody;
            copy.description = found.description;
            copy.parameters = new ArrayList<>(found.parameters);
            copy.outputs = new ArrayList<>(found.outputs);
            found.resources.forEach((logicalId, resource) -> copy.resources.put(logicalId, resource.copy()));
            return copy;
        });
        requireUpdatable(stack);
        return stack;
    }

    private static void requireUpdatable(StackRecord stack) {
        if (!stack.status.isUpdatable()) {
            throw validation("Stack:" + stack.stackId + " is in " + stack.status + " state and can not be updated.");
        }
    }

    /** Whether updating to the proposal changes anything: a resource, a parameter value, an output or the description. */
    private boolean changesAnything(StackRecord stack, Proposal proposal, List<ResourceChange> changes) {
        if (!changes.isEmpty() || !proposal.shown().equals(stack.parameters)
                || !Objects.equals(proposal.template().description().orElse(null), stack.description)) {
            return true;
        }
        return !StackEngine.outputs(proposal.template(), scope(proposal.template(), info(stack), proposal.values()))
                .equals(stack.outputs);
    }

    private Map<String, Object> updateStack(QueryParameters request) {
        StackRecord stack = stackToUpdate(request.required("StackName"));
        Proposal proposal = proposal(request, Optional.of(stack));
        List<ResourceChange> changes = planner.plan(stack, proposal.template(), proposal.values(), info(stack));
        if (!changesAnything(stack, proposal, changes)) {
            throw validation("No updates are to be performed.");
        }
        startUpdate(stack.stackId, proposal, request.get("DisableRollback").map(Boolean::parseBoolean).orElse(false),
                Optional.empty());
        return result("StackId", stack.stackId);
    }

    /** Stores the proposal as the stack's definition, marks it UPDATE_IN_PROGRESS and starts the update. */
    private void startUpdate(String stackId, Proposal proposal, boolean disableRollback,
                             Optional<String> changeSetId) {
        StackRecord.Definition[] previous = new StackRecord.Definition[1];
        StackInfo[] info = new StackInfo[1];
        store.change(stackId, stack -> {
            requireUpdatable(stack);
            previous[0] = stack.definition();
            info[0] = info(stack);
            stack.templateBody = proposal.template().body();
            stack.description = proposal.template().description().orElse(null);
            stack.parameters = new ArrayList<>(proposal.shown());
            stack.capabilities = new ArrayList<>(proposal.capabilities());
            proposal.tags().ifPresent(tags -> stack.tags = new LinkedHashMap<>(tags));
            obsoleteOtherChangeSets(stack, changeSetId);
            changeSetId.flatMap(stack::changeSet).ifPresent(changeSet ->
                    changeSet.executionStatus = ExecutionStatus.EXECUTE_IN_PROGRESS);
            stack.recordStackEvent(StackStatus.UPDATE_IN_PROGRESS, "User Initiated");
        });
        engine.update(stackId, proposal.template(), scope(proposal.template(), info[0], proposal.values()), info[0],
                previous[0], disableRollback, changeSetId);
    }

    private static void obsoleteOtherChangeSets(StackRecord stack, Optional<String> executed) {
        stack.changeSets.stream()
                .filter(changeSet -> executed.map(id -> !id.equals(changeSet.changeSetId)).orElse(true))
                .filter(changeSet -> changeSet.executionStatus == ExecutionStatus.AVAILABLE)
                .forEach(changeSet -> changeSet.executionStatus = ExecutionStatus.OBSOLETE);
    }

    private Map<String, Object> createChangeSet(QueryParameters request) {
        String stackName = request.required("StackName");
        String changeSetName = request.required("ChangeSetName");
        if (changeSetName.length() > 128 || !STACK_NAME.matcher(changeSetName).matches()) {
            throw validation("1 validation error detected: Value '" + changeSetName + "' at 'changeSetName' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        }
        String typeName = request.get("ChangeSetType").orElse(ChangeSetType.UPDATE.name());
        ChangeSetType type = java.util.Arrays.stream(ChangeSetType.values())
                .filter(candidate -> candidate.name().equals(typeName)).findFirst()
                .orElseThrow(() -> validation("ChangeSetType " + typeName + " is not supported by the local cloud: "
                        + "use CREATE or UPDATE (IMPORT is not emulated)"));
        Optional<StackRecord> existing = store.find(stackName);
        String stackId;
        List<ResourceChange> changes;
        Proposal proposal;
        Optional<String> failure = Optional.empty();
        if (type == ChangeSetType.CREATE) {
            if (existing.isPresent() && existing.get().status != StackStatus.REVIEW_IN_PROGRESS) {
                throw validation("Stack [" + stackName + "] already exists and cannot be created again with the "
                        + "changeSet [" + changeSetName + "].");
            }
            proposal = proposal(request, Optional.empty());
            stackId = existing.map(stack -> stack.stackId).orElseGet(() -> reviewStack(stackName, request));
            StackScope scope = new StackScope(proposal.template(), new StackInfo(stackName, stackId,
                    context.region(), context.accountId()), proposal.values(), logicalId -> Optional.empty());
            changes = proposal.template().resources().values().stream()
                    .filter(resource -> scope.included(resource.condition()))
                    .map(resource -> new ResourceChange(ResourceChange.Action.Add, resource.logicalId(), null,
                            resource.type(), null, List.of())).toList();
        } else {
            StackRecord stack = stackToUpdate(existing.map(found -> found.stackId).orElseThrow(() ->
                    validation("Stack [" + stackName + "] does not exist")));
            stackId = stack.stackId;
            proposal = proposal(request, Optional.of(stack));
            List<ResourceChange> planned = List.of();
            try {
                planned = planner.plan(stack, proposal.template(), proposal.values(), info(stack));
                if (!changesAnything(stack, proposal, planned)) {
                    failure = Optional.of(NO_CHANGES);
                }
            } catch (TemplateException e) {
                failure = Optional.of(e.getMessage());
            }
            changes = planned;
        }
        StackRecord.ChangeSet changeSet = new StackRecord.ChangeSet();
        changeSet.changeSetId = "arn:" + partition() + ":cloudformation:" + context.region() + ":"
                + context.accountId() + ":changeSet/" + changeSetName + "/" + UUID.randomUUID();
        changeSet.changeSetName = changeSetName;
        changeSet.type = type;
        changeSet.description = request.get("Description").orElse(null);
        changeSet.templateBody = proposal.template().body();
        changeSet.creationTime = Instant.now().toString();
        changeSet.status = failure.isPresent() ? ChangeSetStatus.FAILED : ChangeSetStatus.CREATE_COMPLETE;
        changeSet.statusReason = failure.orElse(null);
        changeSet.executionStatus = failure.isPresent() ? ExecutionStatus.UNAVAILABLE : ExecutionStatus.AVAILABLE;
        changeSet.parameters = new ArrayList<>(proposal.shown());
        changeSet.capabilities = new ArrayList<>(proposal.capabilities());
        proposal.tags().ifPresent(changeSet.tags::putAll);
        changeSet.changes = new ArrayList<>(changes);
        store.change(stackId, stack -> {
            if (stack.changeSet(changeSetName).isPresent()) {
                throw new AwsServiceException("AlreadyExistsException", 400, "ChangeSet " + changeSetName
                        + " already exists for stack " + stack.stackName);
            }
            stack.changeSets.add(changeSet);
        });
        Map<String, Object> result = result("Id", changeSet.changeSetId);
        result.put("StackId", stackId);
        return result;
    }

    /** Adds the stack a CREATE change set is for: REVIEW_IN_PROGRESS, without template or resources. */
    private String reviewStack(String stackName, QueryParameters request) {
        if (stackName.length() > 128 || !STACK_NAME.matcher(stackName).matches()) {
            throw validation("1 validation error detected: Value '" + stackName + "' at 'stackName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* "
                    + "and have length less than or equal to 128");
        }
        StackRecord record = new StackRecord();
        record.stackId = "arn:" + partition() + ":cloudformation:" + context.region() + ":" + context.accountId()
                + ":stack/" + stackName + "/" + UUID.randomUUID();
        record.stackName = stackName;
        record.creationTime = Instant.now().toString();
        record.onFailure = "ROLLBACK";
        record.recordStackEvent(StackStatus.REVIEW_IN_PROGRESS, "User Initiated");
        store.add(record);
        return record.stackId;
    }

    private Map<String, Object> describeChangeSet(QueryParameters request) {
        return changeSet(request.get("StackName"), request.required("ChangeSetName"), (stack, changeSet) -> {
            Map<String, Object> result = new LinkedHashMap<>(changeSetSummary(stack, changeSet));
            result.put("Parameters", changeSet.parameters.stream().map(parameter -> {
                Map<String, Object> rendered = new LinkedHashMap<>();
                rendered.put("ParameterKey", parameter.key());
                rendered.put("ParameterValue", parameter.noEcho() ? "****" : parameter.value());
                return rendered;
            }).toList());
            result.put("NotificationARNs", List.of());
            result.put("Capabilities", List.copyOf(changeSet.capabilities));
            result.put("Tags", changeSet.tags.entrySet().stream().map(tag -> {
                Map<String, Object> rendered = new LinkedHashMap<>();
                rendered.put("Key", tag.getKey());
                rendered.put("Value", tag.getValue());
                return rendered;
            }).toList());
            result.put("Changes", changeSet.changes.stream().map(change -> {
                Map<String, Object> resourceChange = new LinkedHashMap<>();
                resourceChange.put("Action", change.action().name());
                resourceChange.put("LogicalResourceId", change.logicalId());
                resourceChange.put("PhysicalResourceId", change.physicalId());
                resourceChange.put("ResourceType", change.resourceType());
                if (change.replacement() != null) {
                    resourceChange.put("Replacement", change.replacement().name());
                }
                resourceChange.put("Scope", change.details().isEmpty() ? List.of() : List.of("Properties"));
                resourceChange.put("Details", change.details().stream().map(detail -> {
                    Map<String, Object> target = new LinkedHashMap<>();
                    target.put("Attribute", "Properties");
                    target.put("Name", detail.propertyName());
                    target.put("RequiresRecreation", detail.requiresRecreation().name());
                    Map<String, Object> rendered = new LinkedHashMap<>();
                    rendered.put("Target", target);
                    rendered.put("Evaluation", detail.evaluation().name());
                    rendered.put("ChangeSource", detail.changeSource().name());
                    rendered.put("CausingEntity", detail.causingEntity());
                    return rendered;
                }).toList());
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("Type", "Resource");
                member.put("ResourceChange", resourceChange);
                return member;
            }).toList());
            return result;
        });
    }

    private Map<String, Object> executeChangeSet(QueryParameters request) {
        boolean disableRollback = request.get("DisableRollback").map(Boolean::parseBoolean).orElse(false);
        String[] ids = changeSet(request.get("StackName"), request.required("ChangeSetName"), (stack, changeSet) -> {
            if (changeSet.executionStatus != ExecutionStatus.AVAILABLE) {
                throw new AwsServiceException("InvalidChangeSetStatus", 400, "ChangeSet [" + changeSet.changeSetId
                        + "] cannot be executed in its current execution status of [" + changeSet.executionStatus
                        + "]");
            }
            return new String[] {stack.stackId, changeSet.changeSetId};
        });
        String stackId = ids[0];
        Optional<String> changeSetId = Optional.of(ids[1]);
        StackRecord.ChangeSet changeSet = store.read(stacks -> stacks.get(stackId).changeSet(ids[1]).orElseThrow());
        Template template = Template.parse(changeSet.templateBody);
        Map<String, Object> values = new LinkedHashMap<>();
        changeSet.parameters.forEach(parameter ->
                values.put(parameter.key(), template.parameters().get(parameter.key()).validate(parameter.value())));
        if (changeSet.type == ChangeSetType.UPDATE) {
            startUpdate(stackId, new Proposal(template, values, changeSet.parameters, changeSet.capabilities,
                    Optional.of(changeSet.tags).filter(tags -> !tags.isEmpty())), disableRollback, changeSetId);
            return new LinkedHashMap<>(); // renders the empty ExecuteChangeSetResult the SDKs expect
        }
        StackInfo[] info = new StackInfo[1];
        store.change(stackId, stack -> {
            if (stack.status != StackStatus.REVIEW_IN_PROGRESS) {
                throw new AwsServiceException("InvalidChangeSetStatus", 400, "ChangeSet [" + ids[1] + "] cannot be "
                        + "executed: stack " + stack.stackName + " is in " + stack.status + " state");
            }
            info[0] = info(stack);
            stack.templateBody = template.body();
            stack.description = template.description().orElse(null);
            stack.parameters = new ArrayList<>(changeSet.parameters);
            stack.capabilities = new ArrayList<>(changeSet.capabilities);
            stack.tags = new LinkedHashMap<>(changeSet.tags);
            stack.disableRollback = disableRollback;
            stack.onFailure = disableRollback ? "DO_NOTHING" : "ROLLBACK";
            obsoleteOtherChangeSets(stack, changeSetId);
            stack.changeSet(ids[1]).orElseThrow().executionStatus = ExecutionStatus.EXECUTE_IN_PROGRESS;
            stack.recordStackEvent(StackStatus.CREATE_IN_PROGRESS, "User Initiated");
        });
        engine.create(stackId, template, scope(template, info[0], values), info[0], changeSetId);
        return new LinkedHashMap<>();
    }

    private Map<String, Object> deleteChangeSet(QueryParameters request) {
        String[] ids = changeSet(request.get("StackName"), request.required("ChangeSetName"), (stack, changeSet) -> {
            if (changeSet.executionStatus == ExecutionStatus.EXECUTE_IN_PROGRESS) {
                throw new AwsServiceException("InvalidChangeSetStatus", 400, "Cannot delete ChangeSet ["
                        + changeSet.changeSetId + "] while it is being executed (" + changeSet.executionStatus + ")");
            }
            return new String[] {stack.stackId, changeSet.changeSetId};
        });
        store.change(ids[0], stack -> stack.changeSets.removeIf(changeSet -> changeSet.changeSetId.equals(ids[1])));
        return new LinkedHashMap<>();
    }

    private Map<String, Object> listChangeSets(QueryParameters request) {
        List<Map<String, Object>> summaries = store.readStack(request.required("StackName"), stack ->
                stack.changeSets.stream().map(changeSet -> changeSetSummary(stack, changeSet)).toList());
        return page(summaries, request, "Summaries");
    }

    private static Map<String, Object> changeSetSummary(StackRecord stack, StackRecord.ChangeSet changeSet) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("ChangeSetName", changeSet.changeSetName);
        member.put("ChangeSetId", changeSet.changeSetId);
        member.put("StackId", stack.stackId);
        member.put("StackName", stack.stackName);
        member.put("Description", changeSet.description);
        member.put("CreationTime", Instant.parse(changeSet.creationTime));
        member.put("ExecutionStatus", changeSet.executionStatus.name());
        member.put("Status", changeSet.status.name());
        member.put("StatusReason", changeSet.statusReason);
        member.put("IncludeNestedStacks", false);
        return member;
    }

    /**
     * Reads one change set, by name within the given stack or by its ARN, under the store's lock.
     *
     * @throws AwsServiceException ChangeSetNotFound when there is none
     */
    private <T> T changeSet(Optional<String> stackName, String nameOrId,
                            java.util.function.BiFunction<StackRecord, StackRecord.ChangeSet, T> reader) {
        if (stackName.isEmpty() && !nameOrId.startsWith("arn:")) {
            throw validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
        }
        return store.read(stacks -> {
            for (StackRecord stack : stacks.values()) {
                boolean stackMatches = stackName.map(name -> stack.stackId.equals(name)
                        || (stack.stackName.equals(name) && !stack.isDeleted())).orElse(true);
                Optional<StackRecord.ChangeSet> found = stackMatches ? stack.changeSet(nameOrId) : Optional.empty();
                if (found.isPresent()) {
                    return reader.apply(stack, found.get());
                }
            }
            throw new AwsServiceException("ChangeSetNotFound", 404, "ChangeSet [" + nameOrId + "] does not exist");
        });
    }

    private Map<String, Object> getTemplateSummary(QueryParameters request) {
        Optional<String> stackName = request.get("StackName");
        String body;
        if (stackName.isPresent()) {
            body = store.readStack(stackName.get(), stack -> stack.templateBody);
            if (body == null) {
                throw validation("Stack " + stackName.get() + " has no template yet: it is in "
                        + StackStatus.REVIEW_IN_PROGRESS + " until its change set is executed");
            }
        } else {
            body = templateBody(request);
        }
        Template template = Template.parse(body);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Parameters", template.parameters().values().stream().map(parameter -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("ParameterKey", parameter.name());
            member.put("DefaultValue", parameter.defaultValue().orElse(null));
            member.put("ParameterType", parameter.type());
            member.put("NoEcho", parameter.noEcho());
            member.put("Description", parameter.description().orElse(null));
            member.put("ParameterConstraints", Map.of("AllowedValues", parameter.allowedValues()));
            return member;
        }).toList());
        putDescriptionAndCapabilities(template, result);
        result.put("ResourceTypes", template.resources().values().stream().map(Template.ResourceDefinition::type)
                .distinct().toList());
        result.put("Version", "2010-09-09");
        result.put("DeclaredTransforms", template.transforms());
        return result;
    }

    /** Description, Capabilities and CapabilitiesReason, as ValidateTemplate and GetTemplateSummary answer them. */
    private static void putDescriptionAndCapabilities(Template template, Map<String, Object> result) {
        result.put("Description", template.description().orElse(null));
        Optional<String> capability = requiredCapability(template);
        result.put("Capabilities", capability.map(List::of).orElse(List.of()));
        result.put("CapabilitiesReason", capability.map(required -> "The following resource(s) require "
                + "capabilities: " + iamTypes(template)).orElse(null));
    }

    private StackInfo info(StackRecord stack) {
        return new StackInfo(stack.stackName, stack.stackId, context.region(), context.accountId());
    }

    /** The scope a stack operation evaluates the template in: its resources as the store has them. */
    private StackScope scope(Template template, StackInfo stack, Map<String, Object> parameterValues) {
        return new StackScope(template, stack, parameterValues, logicalId -> store.read(stacks ->
                Optional.ofNullable(stacks.get(stack.stackId()).resources.get(logicalId))
                        .map(resource -> resource.provisioned)));
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
        putDescriptionAndCapabilities(template, result);
        result.put("DeclaredTransforms", template.transforms());
        return result;
    }

    private Map<String, Object> getTemplate(QueryParameters request) {
        Optional<String> changeSetName = request.get("ChangeSetName");
        String body = changeSetName.isPresent()
                ? changeSet(request.get("StackName"), changeSetName.get(), (stack, changeSet) -> changeSet.templateBody)
                : store.readStack(request.required("StackName"), stack -> stack.templateBody);
        if (body == null) {
            throw validation("Stack " + request.required("StackName") + " has no template yet: it is in "
                    + StackStatus.REVIEW_IN_PROGRESS + " until its change set is executed");
        }
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
                                                                    Map<String, Object> values,
                                                                    Optional<List<StackRecord.ParameterValue>> previous) {
        Map<String, String> given = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (QueryParameters parameter : request.structures("Parameters")) {
            String key = parameter.required("ParameterKey");
            if (!template.parameters().containsKey(key)) {
                unknown.add(key);
            }
            if (parameter.get("UsePreviousValue").map(Boolean::parseBoolean).orElse(false)) {
                if (previous.isEmpty()) {
                    throw validation("Parameter '" + key + "': UsePreviousValue is only valid when updating a stack");
                }
                given.put(key, previous.get().stream().filter(value -> value.key().equals(key)).findFirst()
                        .map(StackRecord.ParameterValue::value).orElseThrow(() -> validation("Invalid input for "
                                + "parameter key " + key + ". Cannot specify usePreviousValue as true for a "
                                + "parameter key not in the previous template")));
            } else {
                parameter.get("ParameterValue").ifPresent(value -> given.put(key, value));
            }
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
        member.put("LastUpdatedTime", instant(stack.lastUpdatedTime));
        member.put("StackStatus", stack.status.name());
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
        member.put("ResourceStatus", resource.status.name());
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
        if (store.read(all -> all.values().stream().allMatch(stack -> stack.status.afterInterruption().isEmpty()))) {
            return;
        }
        store.changeAll(stack -> stack.status.afterInterruption().ifPresent(status -> {
            String reason = "The local cloud stopped while this stack operation was in progress; delete the "
                    + "stack to remove what it created";
            stack.resources.values().forEach(resource -> resource.status.afterInterruption().ifPresent(failed -> {
                resource.status = failed;
                resource.statusReason = reason;
            }));
            stack.changeSets.stream().filter(changeSet -> changeSet.executionStatus
                    == ExecutionStatus.EXECUTE_IN_PROGRESS).forEach(changeSet ->
                    changeSet.executionStatus = ExecutionStatus.EXECUTE_FAILED);
            stack.recordStackEvent(status, reason);
        }));
    }
}
