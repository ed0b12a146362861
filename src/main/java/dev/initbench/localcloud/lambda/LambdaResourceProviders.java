package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.resource.AbstractResourceProvider;
import dev.initbench.localcloud.resource.HandlerErrorCode;
import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;
import dev.initbench.localcloud.protocol.AwsServiceException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CloudFormation providers of {@code AWS::Lambda::Function}, {@code Version}, {@code Alias} and {@code Permission}.
 * Ref and GetAtt values are what CloudFormation returns for these types: the function name and its ARN; the
 * version ARN with {@code Version}; the alias ARN; an opaque id for a permission.
 */
final class LambdaResourceProviders {

    /** Longest wait for provisioned concurrency to become READY before the resource fails (NotStabilized). */
    private static final Duration PROVISIONING_WAIT = Duration.ofMinutes(15);

    private LambdaResourceProviders() {
    }

    static List<ResourceProvider> all(LambdaService lambda) {
        return List.of(new FunctionProvider(lambda), new VersionProvider(lambda), new AliasProvider(lambda),
                new PermissionProvider(lambda));
    }

    /** Runs a service call, turning its AwsServiceException into the stack event's reason. */
    private static <T> T call(String type, ResourceRequest request, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (AwsServiceException e) {
            throw ResourceFailedException.handlerReturned("Lambda", e);
        }
    }

    private static Optional<Integer> provisionedConcurrency(ResourceRequest request) {
        return request.property("ProvisionedConcurrencyConfig")
                .filter(Map.class::isInstance).map(Map.class::cast)
                .map(config -> config.get("ProvisionedConcurrentExecutions"))
                .map(value -> Integer.parseInt(String.valueOf(value)));
    }

    /** Starts provisioned concurrency and returns only when it is READY; FAILED fails the resource. */
    private static void provisionAndWait(LambdaService lambda, String functionName, String qualifier, int count,
                                         ResourceRequest request, String type) {
        call(type, request, () -> lambda.putProvisionedConcurrency(functionName, qualifier, count));
        LambdaService.ProvisionedConcurrencyStatus status =
                lambda.awaitProvisionedConcurrency(functionName, qualifier, PROVISIONING_WAIT);
        if (status.status() != ProvisionedConcurrencyState.READY) {
            lambda.deleteProvisionedConcurrency(functionName, qualifier);
            throw ResourceFailedException.handlerReturned("Provisioned Concurrency configuration failed to be "
                    + "applied. Reason: " + status.status()
                    + status.statusReason().map(reason -> " (" + reason + ")").orElse(""),
                    HandlerErrorCode.NotStabilized);
        }
    }

    /**
     * Deletes what the physical id names: a function (name) or one of its versions (version ARN); one already gone
     * counts as deleted.
     */
    private static void deleteFunctionOrVersion(LambdaService lambda, ProvisionedResource resource) {
        try {
            lambda.deleteFunction(resource.physicalId(), Optional.empty());
        } catch (AwsServiceException e) {
            if (e.httpStatus() != 404) {
                throw new ResourceFailedException(e.getMessage(), e);
            }
        }
    }

    private static final class FunctionProvider extends AbstractResourceProvider {
        private final LambdaService lambda;

        FunctionProvider(LambdaService lambda) {
            super("AWS::Lambda::Function", Set.of("Code", "Role"), Set.of("Arn"));
            this.lambda = lambda;
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String name = request.stringProperty("FunctionName").orElseGet(() -> request.generatedName(64));
            LambdaService.FunctionSpec spec = spec(name, request);
            FunctionVersion function = call(resourceType(), request, () -> lambda.createFunction(spec));
            return new ProvisionedResource(resourceType(), request.logicalId(), name, name,
                    Map.of("Arn", function.functionArn()));
        }

        @SuppressWarnings("unchecked")
        private static LambdaService.FunctionSpec spec(String name, ResourceRequest request) {
            Map<String, Object> code = (Map<String, Object>) request.property("Code").filter(Map.class::isInstance)
                    .orElseThrow(() -> new ResourceFailedException("Property Code of " + request.logicalId()
                            + " must be an object with S3Bucket and S3Key"));
            if (code.containsKey("ZipFile")) {
                throw new ResourceFailedException("Code.ZipFile (inline source) cannot hold a Java function: give "
                        + "S3Bucket and S3Key for " + request.logicalId());
            }
            Map<String, String> variables = new LinkedHashMap<>();
            request.property("Environment").filter(Map.class::isInstance).map(Map.class::cast)
                    .map(environment -> environment.get("Variables")).filter(Map.class::isInstance)
                    .map(Map.class::cast)
                    .ifPresent(map -> map.forEach((key, value) -> variables.put(String.valueOf(key),
                            String.valueOf(value))));
            return new LambdaService.FunctionSpec(name,
                    request.stringProperty("Runtime").orElse(null), request.stringProperty("Handler").orElse(null),
                    request.stringProperty("MemorySize").map(Integer::parseInt).orElse(null),
                    request.stringProperty("Timeout").map(Integer::parseInt).orElse(null),
                    request.stringProperty("Role").orElse(null), request.stringProperty("Description").orElse(""),
                    variables, LambdaService.Code.s3(String.valueOf(code.get("S3Bucket")),
                    String.valueOf(code.get("S3Key"))));
        }

        /** The schema's createOnlyProperties; every other property is UpdateFunctionConfiguration/Code. */
        @Override
        public Optional<Set<String>> createOnlyProperties() {
            return Optional.of(Set.of("FunctionName", "PackageType", "TenancyConfig"));
        }

        /**
         * UpdateFunctionConfiguration and UpdateFunctionCode: {@code $LATEST} changes; published versions (and so
         * aliases) keep theirs until a new {@code AWS::Lambda::Version} publishes one.
         */
        @Override
        public ProvisionedResource update(ResourceUpdate update) {
            String name = update.current().physicalId();
            LambdaService.FunctionSpec spec = spec(name, update.request());
            call(resourceType(), update.request(), () -> lambda.updateFunction(spec));
            return update.current();
        }

        @Override
        public void delete(ProvisionedResource resource) {
            deleteFunctionOrVersion(lambda, resource);
        }
    }

    private static final class VersionProvider extends AbstractResourceProvider {
        private final LambdaService lambda;

        VersionProvider(LambdaService lambda) {
            super("AWS::Lambda::Version", Set.of("FunctionName"), Set.of("Version", "FunctionArn"));
            this.lambda = lambda;
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String functionName = request.stringProperty("FunctionName").orElseThrow();
            FunctionVersion version = call(resourceType(), request,
                    () -> lambda.publishVersion(functionName, request.stringProperty("Description")));
            Optional<Integer> concurrency = provisionedConcurrency(request);
            concurrency.ifPresent(count -> provisionAndWait(lambda, version.functionName(), version.version(), count,
                    request, resourceType()));
            return new ProvisionedResource(resourceType(), request.logicalId(), version.versionArn(),
                    version.versionArn(), Map.of("Version", version.version(), "FunctionArn", version.versionArn()));
        }

        /**
         * The schema's createOnlyProperties: a changed function, description or provisioned concurrency publishes a
         * new version (the old one is deleted once the update succeeded).
         */
        @Override
        public Optional<Set<String>> createOnlyProperties() {
            return Optional.of(Set.of("FunctionName", "Description", "CodeSha256", "ProvisionedConcurrencyConfig",
                    "RuntimePolicy"));
        }

        /** Only FunctionScalingConfig is left to change in place, and the local cloud does not emulate it. */
        @Override
        public ProvisionedResource update(ResourceUpdate update) {
            return update.current();
        }

        @Override
        public void delete(ProvisionedResource resource) {
            deleteFunctionOrVersion(lambda, resource);
        }
    }

    private static final class AliasProvider extends AbstractResourceProvider {
        private final LambdaService lambda;

        AliasProvider(LambdaService lambda) {
            super("AWS::Lambda::Alias", Set.of("FunctionName", "FunctionVersion", "Name"), Set.of("AliasArn"));
            this.lambda = lambda;
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String functionName = request.stringProperty("FunctionName").orElseThrow();
            LambdaService.Alias alias = call(resourceType(), request, () -> lambda.createAlias(functionName,
                    request.stringProperty("Name").orElseThrow(),
                    request.stringProperty("FunctionVersion").orElseThrow(),
                    request.stringProperty("Description")));
            try {
                provisionedConcurrency(request).ifPresent(count -> provisionAndWait(lambda, alias.functionName(),
                        alias.name(), count, request, resourceType()));
            } catch (ResourceFailedException e) {
                lambda.deleteAlias(alias.functionName(), alias.name());
                throw e;
            }
            return new ProvisionedResource(resourceType(), request.logicalId(), alias.aliasArn(), alias.aliasArn(),
                    Map.of("AliasArn", alias.aliasArn()));
        }

        /** The schema's createOnlyProperties; version, description and provisioned concurrency change in place. */
        @Override
        public Optional<Set<String>> createOnlyProperties() {
            return Optional.of(Set.of("Name", "FunctionName"));
        }

        /**
         * UpdateAlias for a new version or description; provisioned concurrency is put again (its environments
         * reallocated, for the alias's version) when its count or the version changed, and removed when the new
         * template has none. Returns once the new allocation is READY.
         */
        @Override
        public ProvisionedResource update(ResourceUpdate update) {
            ResourceRequest request = update.request();
            FunctionReference reference = FunctionReference.parse(update.current().physicalId());
            String functionName = reference.name();
            String aliasName = reference.qualifier().orElseThrow();
            if (update.changed("FunctionVersion") || update.changed("Description")) {
                call(resourceType(), request, () -> lambda.updateAlias(functionName, aliasName,
                        request.stringProperty("FunctionVersion").orElseThrow(),
                        request.stringProperty("Description")));
            }
            Optional<Integer> concurrency = provisionedConcurrency(request);
            if (concurrency.isEmpty()) {
                lambda.deleteProvisionedConcurrency(functionName, aliasName);
            } else if (update.changed("ProvisionedConcurrencyConfig") || update.changed("FunctionVersion")) {
                provisionAndWait(lambda, functionName, aliasName, concurrency.get(), request, resourceType());
            }
            return update.current();
        }

        @Override
        public void delete(ProvisionedResource resource) {
            FunctionReference reference = FunctionReference.parse(resource.physicalId());
            reference.qualifier().ifPresent(name -> lambda.deleteAlias(reference.name(), name));
        }
    }

    private static final class PermissionProvider extends AbstractResourceProvider {
        private final LambdaService lambda;

        PermissionProvider(LambdaService lambda) {
            super("AWS::Lambda::Permission", Set.of("Action", "FunctionName", "Principal"), Set.of());
            this.lambda = lambda;
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String functionName = request.stringProperty("FunctionName").orElseThrow();
            String statementId = request.generatedName(100);
            call(resourceType(), request, () -> lambda.addPermission(functionName, Optional.empty(), statementId,
                    request.stringProperty("Action").orElseThrow(), request.stringProperty("Principal").orElseThrow(),
                    request.stringProperty("SourceArn")));
            // Physical id "<function reference>|<statement id>" so delete finds the statement again.
            String physicalId = functionName + "|" + statementId;
            return new ProvisionedResource(resourceType(), request.logicalId(), physicalId, physicalId, Map.of());
        }

        /** Every property of a permission is create-only in its schema: any change replaces the statement. */
        @Override
        public Optional<Set<String>> createOnlyProperties() {
            return Optional.of(Set.of("Action", "EventSourceToken", "FunctionName", "FunctionUrlAuthType",
                    "InvokedViaFunctionUrl", "Principal", "PrincipalOrgID", "SourceAccount", "SourceArn"));
        }

        @Override
        public void delete(ProvisionedResource resource) {
            int separator = resource.physicalId().lastIndexOf('|');
            if (separator > 0) {
                lambda.removePermission(resource.physicalId().substring(0, separator),
                        resource.physicalId().substring(separator + 1));
            }
        }
    }
}
