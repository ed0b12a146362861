package dev.initbench.bench.deploy;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.target.Target;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.OnFailure;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One deployment of template.yaml on a target, owning everything it creates until {@link #close()}: the run-scoped
 * bucket (unless the user named one), the uploaded artifacts and the stack with the selected strategies' functions.
 *
 * <p>{@link #close()} tears down whatever was created so far, however the run ends: it is called by its owner
 * (JUnit extension, CLI) and by a JVM shutdown hook for SIGTERM and Ctrl-C. It is idempotent and thread-safe.
 */
public final class Deployment implements AutoCloseable {

    private static final String ALIAS = "live";

    private final Target target;
    private final ScenarioSettings settings;
    private final RunId runId;
    private final Consumer<String> progress;
    private final CloudFormationClient cloudFormation;
    private final S3Client s3;
    private final LambdaClient lambda;
    private final CloudWatchLogsClient logs;
    private final Thread shutdownHook = new Thread(this::closeFromShutdownHook, "initbench-teardown");

    private String bucket;
    private boolean bucketCreatedByRun;
    /** Uploaded objects: the Java artifact always (template.yaml requires its key), the Node.js one when needed. */
    private final List<String> artifactKeys = new ArrayList<>();
    private String artifactKey;
    private String nodeArtifactKey;
    private String stackId;
    private DeployedStack stack;
    private Instant createStartedAt;
    private Instant provisionedReadyAt;
    private boolean closed;

    private Deployment(Target target, ScenarioSettings settings, RunId runId, Consumer<String> progress) {
        this.target = target;
        this.settings = settings;
        this.runId = runId;
        this.progress = progress;
        this.cloudFormation = target.cloudFormation();
        this.s3 = target.s3();
        this.lambda = target.lambda();
        this.logs = target.logs();
    }

    /**
     * Deletes stacks left behind by killed runs, uploads the artifact, creates the stack, waits for it and for
     * provisioned concurrency to be READY.
     *
     * @throws DeploymentException after tearing down what was created, with the first failed resource's reason;
     *                             the stack is created with rollback disabled, so the failed resources' events and
     *                             the functions' logs are read (and reported) before everything is deleted
     */
    public static Deployment deploy(Target target, ScenarioSettings settings, RunId runId, Artifacts artifacts,
                                    String templateBody, Consumer<String> progress) {
        Deployment deployment = new Deployment(target, settings, runId, progress);
        Runtime.getRuntime().addShutdownHook(deployment.shutdownHook);
        try {
            new OrphanSweeper(deployment.cloudFormation, settings.orphanAge(), settings.stackPollDelay(),
                    settings.deployTimeout(), progress).sweep();
            deployment.uploadArtifacts(artifacts);
            deployment.createStack(templateBody);
            deployment.awaitProvisionedConcurrency();
            return deployment;
        } catch (RuntimeException e) {
            try {
                deployment.close();
            } catch (RuntimeException teardownFailure) {
                e.addSuppressed(teardownFailure);
            }
            throw e instanceof DeploymentException ? e : new DeploymentException("deployment failed: " + e.getMessage(), e);
        }
    }

    /**
     * The deployment artifacts of a run.
     *
     * @param java the Java functions' zip (always uploaded: template.yaml requires its key)
     * @param node the Node.js functions' zip; uploaded only when a Node.js strategy is selected
     */
    public record Artifacts(Path java, Optional<Path> node) {
    }

    public RunId runId() {
        return runId;
    }

    public DeployedStack stack() {
        return stack;
    }

    private void uploadArtifacts(Artifacts artifacts) {
        if (settings.bucket().isPresent()) {
            bucket = settings.bucket().get();
            try {
                s3.headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException e) {
                throw new DeploymentException("bucket '" + bucket + "' (bench.bucket) does not exist: create it or"
                        + " leave bench.bucket unset to use a run-scoped bucket");
            }
        } else {
            bucket = ProjectTags.bucketName(runId);
            progress.accept("creating run-scoped bucket " + bucket);
            s3.createBucket(b -> {
                b.bucket(bucket);
                if (!Region.US_EAST_1.equals(target.region())) {
                    b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(target.region().id())));
                }
            });
            bucketCreatedByRun = true;
            // Tagged like the stack, so cleanup outside this JVM (the nightly workflow) knows it is ours.
            s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                    bucketTag(ProjectTags.PROJECT_KEY, ProjectTags.PROJECT),
                    bucketTag(ProjectTags.RUN_ID_KEY, runId.value()),
                    bucketTag(ProjectTags.CREATED_AT_KEY, runId.startedAt().toString()))));
        }
        artifactKey = upload(artifacts.java());
        if (settings.deploys(Strategy.Family.NODE)) {
            nodeArtifactKey = upload(artifacts.node().orElseThrow(() -> new DeploymentException("strategies "
                    + Strategy.ids(settings.strategies()) + " need the Node.js functions' artifact, which was not"
                    + " found: build it with ./mvnw -B package -DskipTests")));
        }
    }

    private String upload(Path artifact) {
        String key = "initbench/" + runId + "/" + artifact.getFileName();
        progress.accept("uploading " + artifact.getFileName() + " to s3://" + bucket + "/" + key);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(artifact));
        artifactKeys.add(key);
        return key;
    }

    private void createStack(String templateBody) {
        String stackName = ProjectTags.stackName(runId);
        createStartedAt = Instant.now();
        progress.accept("creating stack " + stackName + " with " + Strategy.ids(settings.strategies())
                + " (provisioned concurrency " + settings.provisionedConcurrency() + " per function, "
                + settings.memorySize() + " MB, " + runtimes() + ")");
        List<Parameter> parameters = new ArrayList<>(List.of(
                parameter("ArtifactBucket", bucket),
                parameter("ArtifactKey", artifactKey),
                parameter("ProvisionedConcurrency", String.valueOf(settings.provisionedConcurrency())),
                parameter("MemorySize", String.valueOf(settings.memorySize())),
                parameter("ParameterValue", settings.parameterValue()),
                parameter("Runtime", settings.runtime()),
                parameter("NodeRuntime", settings.nodeRuntime())));
        if (nodeArtifactKey != null) {
            parameters.add(parameter("NodeArtifactKey", nodeArtifactKey));
        }
        for (Strategy strategy : Strategy.values()) {
            parameters.add(parameter(strategy.deployParameter(),
                    String.valueOf(settings.strategies().contains(strategy))));
        }
        stackId = cloudFormation.createStack(b -> b
                .stackName(stackName)
                .templateBody(templateBody)
                .capabilities(Capability.CAPABILITY_IAM)
                // Rollback would delete the log groups holding the reason; close() deletes everything instead.
                .onFailure(OnFailure.DO_NOTHING)
                .parameters(parameters)
                .tags(tag(ProjectTags.PROJECT_KEY, ProjectTags.PROJECT),
                        tag(ProjectTags.RUN_ID_KEY, runId.value()),
                        tag(ProjectTags.CREATED_AT_KEY, runId.startedAt().toString())))
                .stackId();
        Instant start = Instant.now();
        try (CloudFormationWaiter waiter = waiter()) {
            waiter.waitUntilStackCreateComplete(b -> b.stackName(stackId));
        } catch (RuntimeException e) {
            String evidence = failureEvidence();
            progress.accept(evidence);
            throw new DeploymentException("stack " + stackName + " was not created: " + firstFailureReason()
                    .orElse(e.getMessage()) + "\n" + evidence, e);
        }
        Stack created = cloudFormation.describeStacks(b -> b.stackName(stackId)).stacks().get(0);
        Map<String, String> outputs = created.outputs().stream()
                .collect(Collectors.toMap(o -> o.outputKey(), o -> o.outputValue()));
        Map<Strategy, DeployedStack.DeployedFunction> functions = new LinkedHashMap<>();
        for (Strategy strategy : settings.strategies()) {
            functions.put(strategy, new DeployedStack.DeployedFunction(output(outputs, strategy.functionNameOutput()),
                    output(outputs, strategy.aliasArnOutput())));
        }
        stack = new DeployedStack(stackName, stackId, URI.create(output(outputs, "ApiEndpoint")), functions,
                output(outputs, "ParameterName"));
        progress.accept("stack " + stackName + " created in " + Duration.between(start, Instant.now()).toSeconds()
                + " s; API " + stack.apiEndpoint());
    }

    /** CloudFormation only completes an alias with provisioned concurrency once it is READY; check it anyway. */
    private void awaitProvisionedConcurrency() {
        Instant deadline = Instant.now().plus(settings.deployTimeout());
        for (DeployedStack.DeployedFunction deployed : stack.functions().values()) {
            String function = deployed.functionName();
            while (true) {
                GetProvisionedConcurrencyConfigResponse config = lambda.getProvisionedConcurrencyConfig(
                        b -> b.functionName(function).qualifier(ALIAS));
                if (config.status() == ProvisionedConcurrencyStatusEnum.READY) {
                    progress.accept(function + ":" + ALIAS + " provisioned concurrency READY ("
                            + config.availableProvisionedConcurrentExecutions() + " environments)");
                    break;
                }
                if (config.status() == ProvisionedConcurrencyStatusEnum.FAILED) {
                    throw new DeploymentException("provisioned concurrency of " + function + ":" + ALIAS
                            + " FAILED: " + config.statusReason());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new DeploymentException("provisioned concurrency of " + function + ":" + ALIAS
                            + " still " + config.statusAsString() + " after " + settings.deployTimeout().toSeconds()
                            + " s: raise bench.deployTimeoutSeconds");
                }
                sleep(settings.stackPollDelay());
            }
        }
        provisionedReadyAt = Instant.now();
    }

    /** From the stack's creation (the aliases allocate provisioned concurrency within it) to both READY. */
    public Duration allocation() {
        return Duration.between(createStartedAt, provisionedReadyAt);
    }

    /**
     * What a failed creation left to read while its resources still exist: every failed resource's reason and the
     * last lines of each function's log group (an init error, a missing permission).
     */
    private String failureEvidence() {
        List<String> lines = new ArrayList<>();
        lines.add("stack creation failed; kept (rollback disabled) to read the evidence before deleting it:");
        try {
            cloudFormation.describeStackEventsPaginator(b -> b.stackName(stackId)).stackEvents().stream()
                    .filter(e -> e.resourceStatus() == ResourceStatus.CREATE_FAILED && e.resourceStatusReason() != null)
                    .sorted(Comparator.comparing(StackEvent::timestamp))
                    .forEach(e -> lines.add("  " + e.logicalResourceId() + " (" + e.resourceType() + ") CREATE_FAILED: "
                            + e.resourceStatusReason()));
            for (StackResource resource : cloudFormation.describeStackResources(b -> b.stackName(stackId))
                    .stackResources()) {
                if ("AWS::Lambda::Function".equals(resource.resourceType()) && resource.physicalResourceId() != null) {
                    lines.addAll(functionLog(resource.logicalResourceId(), "/aws/lambda/" + resource.physicalResourceId()));
                }
            }
        } catch (RuntimeException e) {
            lines.add("  (could not read all of it: " + e.getMessage() + ")");
        }
        return String.join("\n", lines);
    }

    private static final int EVIDENCE_LOG_LINES = 20;

    private List<String> functionLog(String logicalId, String logGroup) {
        List<String> lines = new ArrayList<>();
        try {
            List<FilteredLogEvent> events = new ArrayList<>();
            logs.filterLogEventsPaginator(b -> b.logGroupName(logGroup).startTime(runId.startedAt().toEpochMilli()))
                    .events().forEach(events::add);
            lines.add("  " + logicalId + " log " + logGroup + " (" + events.size() + " events"
                    + (events.size() > EVIDENCE_LOG_LINES ? ", last " + EVIDENCE_LOG_LINES : "") + "):");
            events.stream().skip(Math.max(0, events.size() - EVIDENCE_LOG_LINES))
                    .forEach(e -> lines.add("    " + e.message().stripTrailing()));
        } catch (RuntimeException e) {
            lines.add("  " + logicalId + " log " + logGroup + ": not readable (" + e.getMessage() + ")");
        }
        return lines;
    }

    /**
     * Deletes the function log groups left after the stack: an environment that logs after its stack deleted
     * the group makes Lambda create it again, untagged and outside any stack.
     */
    private void sweepFunctionLogGroups(List<String> failures) {
        String prefix = "/aws/lambda/" + ProjectTags.stackName(runId) + "-";
        try {
            for (LogGroup group : logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(prefix)).logGroups()) {
                try {
                    logs.deleteLogGroup(b -> b.logGroupName(group.logGroupName()));
                    progress.accept("deleted log group " + group.logGroupName() + " (recreated after its stack)");
                } catch (RuntimeException e) {
                    failures.add("log group " + group.logGroupName() + ": " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            failures.add("log groups " + prefix + "*: " + e.getMessage());
        }
    }

    /** The earliest failed resource event with a reason: the cause, not the cancellations it triggered. */
    private Optional<String> firstFailureReason() {
        try {
            List<StackEvent> events = new ArrayList<>();
            cloudFormation.describeStackEventsPaginator(b -> b.stackName(stackId)).stackEvents().forEach(events::add);
            return events.stream()
                    .filter(e -> e.resourceStatus() == ResourceStatus.CREATE_FAILED && e.resourceStatusReason() != null)
                    .filter(e -> !e.resourceStatusReason().contains("cancelled"))
                    .min(Comparator.comparing(StackEvent::timestamp))
                    .or(() -> events.stream().filter(e -> e.resourceStatusReason() != null)
                            .min(Comparator.comparing(StackEvent::timestamp)))
                    .map(e -> e.logicalResourceId() + " (" + e.resourceType() + "): " + e.resourceStatusReason());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private CloudFormationWaiter waiter() {
        long attempts = Math.max(1, settings.deployTimeout().toMillis() / Math.max(1, settings.stackPollDelay().toMillis()));
        return CloudFormationWaiter.builder()
                .client(cloudFormation)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(settings.stackPollDelay()))
                        .maxAttempts((int) Math.min(Integer.MAX_VALUE, attempts + 1))
                        .waitTimeout(settings.deployTimeout())
                        .build())
                .build();
    }

    /**
     * Deletes the stack (and waits), the uploaded artifact and the run-scoped bucket, whichever exist. Every step
     * is tried even when an earlier one fails; failures are reported together.
     *
     * @throws DeploymentException naming what could not be removed, so it can be removed by hand
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself or during JVM shutdown: nothing to unregister.
        }
        List<String> failures = new ArrayList<>();
        if (stackId != null) {
            progress.accept("deleting stack " + ProjectTags.stackName(runId));
            try (CloudFormationWaiter waiter = waiter()) {
                cloudFormation.deleteStack(b -> b.stackName(stackId));
                waiter.waitUntilStackDeleteComplete(b -> b.stackName(stackId));
            } catch (RuntimeException e) {
                failures.add("stack " + stackId + ": " + e.getMessage());
            }
        }
        if (stackId != null) {
            sweepFunctionLogGroups(failures);
        }
        for (String key : artifactKeys) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (RuntimeException e) {
                failures.add("s3://" + bucket + "/" + key + ": " + e.getMessage());
            }
        }
        if (bucketCreatedByRun) {
            try {
                for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                    s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                }
                s3.deleteBucket(b -> b.bucket(bucket));
            } catch (RuntimeException e) {
                failures.add("bucket " + bucket + ": " + e.getMessage());
            }
        }
        cloudFormation.close();
        s3.close();
        lambda.close();
        logs.close();
        if (!failures.isEmpty()) {
            throw new DeploymentException("teardown left resources behind; remove them by hand: " + failures);
        }
        progress.accept("teardown complete");
    }

    private String runtimes() {
        List<String> runtimes = new ArrayList<>();
        if (settings.deploys(Strategy.Family.JAVA)) {
            runtimes.add(settings.runtime());
        }
        if (settings.deploys(Strategy.Family.NODE)) {
            runtimes.add(settings.nodeRuntime());
        }
        return String.join(", ", runtimes);
    }

    private void closeFromShutdownHook() {
        progress.accept("JVM is shutting down: tearing down run " + runId);
        try {
            close();
        } catch (RuntimeException e) {
            // The local cloud's own shutdown hook may stop it first; its stack and environments end with it.
            progress.accept(target.ephemeral() ? "the local cloud stopped with the JVM, and everything deployed on"
                    + " it with it" : e.getMessage());
        }
    }

    private static Parameter parameter(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static software.amazon.awssdk.services.s3.model.Tag bucketTag(String key, String value) {
        return software.amazon.awssdk.services.s3.model.Tag.builder().key(key).value(value).build();
    }

    private static String output(Map<String, String> outputs, String key) {
        String value = outputs.get(key);
        if (value == null) {
            throw new DeploymentException("stack output " + key + " is missing: template.yaml and the benchmark disagree");
        }
        return value;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while waiting", e);
        }
    }
}
