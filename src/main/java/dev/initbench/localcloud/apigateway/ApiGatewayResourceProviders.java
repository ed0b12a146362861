package dev.initbench.localcloud.apigateway;

import dev.initbench.localcloud.resource.AbstractResourceProvider;
import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CloudFormation providers of {@code AWS::ApiGatewayV2::Api} (Ref: the API id; GetAtt ApiEndpoint, ApiId),
 * {@code Integration} (Ref: integration id), {@code Route} (Ref: route id), {@code Deployment} (Ref: deployment
 * id) and {@code Stage} (Ref: stage name).
 * Child resources keep {@code <apiId>/<id>} as physical id so deletion finds their API.
 */
final class ApiGatewayResourceProviders {

    private ApiGatewayResourceProviders() {
    }

    static java.util.List<ResourceProvider> all(HttpApiService service) {
        return java.util.List.of(new ApiProvider(service), new IntegrationProvider(service),
                new RouteProvider(service), new DeploymentProvider(service), new StageProvider(service));
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw ResourceFailedException.handlerReturned("ApiGatewayV2", 400, "BadRequestException", e.getMessage(),
                    e);
        }
    }

    private static final class ApiProvider extends AbstractResourceProvider {
        private final HttpApiService service;

        ApiProvider(HttpApiService service) {
            super("AWS::ApiGatewayV2::Api", Set.of("Name", "ProtocolType"), Set.of("ApiId", "ApiEndpoint"));
            this.service = service;
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String protocol = request.stringProperty("ProtocolType").orElseThrow();
            if (!protocol.equals("HTTP")) {
                throw new ResourceFailedException("ProtocolType " + protocol + " of " + request.logicalId()
                        + " is not supported by the local cloud: only HTTP APIs are emulated");
            }
            if (request.property("Target").isPresent() || request.property("Body").isPresent()
                    || request.property("BodyS3Location").isPresent()) {
                throw new ResourceFailedException("Quick create (Target) and OpenAPI import (Body, BodyS3Location) of "
                        + request.logicalId() + " are not supported by the local cloud: declare Integration, Route "
                        + "and Stage resources");
            }
            String id = service.createApi(request.stringProperty("Name").orElseThrow());
            return new ProvisionedResource(resourceType(), request.logicalId(), id, id,
                    Map.of("ApiId", id, "ApiEndpoint", service.apiEndpoint(id)));
        }

        /** The schema's createOnlyProperties; the name changes in place (the endpoint stays). */
        @Override
        public Optional<Set<String>> createOnlyProperties() {
            return Optional.of(Set.of("ProtocolType"));
        }

        @Override
        public ProvisionedResource update(ResourceUpdate update) {
            service.renameApi(update.current().physicalId(), update.request().stringProperty("Name").orElseThrow());
            return update.current();
        }

        @Override
        public void delete(ProvisionedResource resource) {
            service.deleteApi(resource.physicalId());
        }
    }

    /**
     * A resource inside an API (property {@code ApiId}): Ref is its own id, the physical id {@code <apiId>/<id>} so
     * deletion finds its API; it has no GetAtt attributes.
     */
    private abstract static class ApiChildProvider extends AbstractResourceProvider {
        final HttpApiService service;

        ApiChildProvider(HttpApiService service, String resourceType, String requiredProperty) {
            super(resourceType, Set.copyOf(java.util.List.of("ApiId", requiredProperty)), Set.of());
            this.service = service;
        }

        /** Creates the child in the API and returns its id. */
        abstract String createChild(String apiId, ResourceRequest request);

        abstract void deleteChild(String apiId, String childId);

        /** Applies the request's properties to the existing child. */
        abstract void updateChild(String apiId, String childId, ResourceRequest request);

        /** The child's create-only properties besides {@code ApiId}, which every child has. */
        Set<String> ownCreateOnlyProperties() {
            return Set.of();
        }

        @Override
        public final Optional<Set<String>> createOnlyProperties() {
            Set<String> createOnly = new java.util.HashSet<>(ownCreateOnlyProperties());
            createOnly.add("ApiId");
            return Optional.of(Set.copyOf(createOnly));
        }

        @Override
        public final ProvisionedResource update(ResourceUpdate update) {
            int separator = update.current().physicalId().indexOf('/');
            updateChild(update.current().physicalId().substring(0, separator),
                    update.current().physicalId().substring(separator + 1), update.request());
            return update.current();
        }

        @Override
        public final ProvisionedResource create(ResourceRequest request) {
            String apiId = request.stringProperty("ApiId").orElseThrow();
            String id = createChild(apiId, request);
            return new ProvisionedResource(resourceType(), request.logicalId(), apiId + "/" + id, id, Map.of());
        }

        @Override
        public final void delete(ProvisionedResource resource) {
            int separator = resource.physicalId().indexOf('/');
            deleteChild(resource.physicalId().substring(0, separator), resource.physicalId().substring(separator + 1));
        }
    }

    private static final class IntegrationProvider extends ApiChildProvider {
        IntegrationProvider(HttpApiService service) {
            super(service, "AWS::ApiGatewayV2::Integration", "IntegrationType");
        }

        @Override
        String createChild(String apiId, ResourceRequest request) {
            Integration integration = integration(request);
            return call(() -> service.createIntegration(apiId, integration.uri(), integration.timeout()));
        }

        @Override
        void updateChild(String apiId, String childId, ResourceRequest request) {
            Integration integration = integration(request);
            call(() -> {
                service.updateIntegration(apiId, childId, integration.uri(), integration.timeout());
                return childId;
            });
        }

        private record Integration(String uri, int timeout) {
        }

        private static Integration integration(ResourceRequest request) {
            String type = request.stringProperty("IntegrationType").orElseThrow();
            if (!type.equals("AWS_PROXY")) {
                throw new ResourceFailedException("IntegrationType " + type + " of " + request.logicalId()
                        + " is not supported by the local cloud: use AWS_PROXY to a Lambda function");
            }
            String payload = request.stringProperty("PayloadFormatVersion").orElse("");
            if (!payload.equals("2.0")) {
                throw new ResourceFailedException("PayloadFormatVersion '" + payload + "' of " + request.logicalId()
                        + " is not supported by the local cloud: set PayloadFormatVersion: \"2.0\"");
            }
            String uri = request.stringProperty("IntegrationUri").orElseThrow(() -> new ResourceFailedException(
                    "IntegrationUri is required for an AWS_PROXY integration (" + request.logicalId() + ")"));
            int timeout = request.stringProperty("TimeoutInMillis").map(Integer::parseInt).orElse(30_000);
            return new Integration(uri, timeout);
        }

        @Override
        void deleteChild(String apiId, String childId) {
            service.deleteIntegration(apiId, childId);
        }
    }

    private static final class RouteProvider extends ApiChildProvider {
        RouteProvider(HttpApiService service) {
            super(service, "AWS::ApiGatewayV2::Route", "RouteKey");
        }

        @Override
        String createChild(String apiId, ResourceRequest request) {
            return call(() -> service.createRoute(apiId, request.stringProperty("RouteKey").orElseThrow(),
                    request.stringProperty("Target").orElse(null)));
        }

        @Override
        void updateChild(String apiId, String childId, ResourceRequest request) {
            call(() -> {
                service.updateRoute(apiId, childId, request.stringProperty("RouteKey").orElseThrow(),
                        request.stringProperty("Target").orElse(null));
                return childId;
            });
        }

        @Override
        void deleteChild(String apiId, String childId) {
            service.deleteRoute(apiId, childId);
        }
    }

    /** A deployment freezes the routes and integrations that exist when it is created (DependsOn orders that). */
    private static final class DeploymentProvider extends ApiChildProvider {
        DeploymentProvider(HttpApiService service) {
            super(service, "AWS::ApiGatewayV2::Deployment", "ApiId");
        }

        @Override
        String createChild(String apiId, ResourceRequest request) {
            return call(() -> service.createDeployment(apiId, request.stringProperty("StageName")));
        }

        /**
         * Description and StageName change in place; the deployment keeps the routes it froze (a new deployment,
         * e.g. a new logical id, is what redeploys). A changed StageName is not re-applied to stages locally.
         */
        @Override
        void updateChild(String apiId, String childId, ResourceRequest request) {
        }

        @Override
        void deleteChild(String apiId, String childId) {
            service.deleteDeployment(apiId, childId);
        }
    }

    private static final class StageProvider extends ApiChildProvider {
        StageProvider(HttpApiService service) {
            super(service, "AWS::ApiGatewayV2::Stage", "StageName");
        }

        @Override
        String createChild(String apiId, ResourceRequest request) {
            String stage = request.stringProperty("StageName").orElseThrow();
            boolean autoDeploy = request.stringProperty("AutoDeploy").map(Boolean::parseBoolean).orElse(false);
            return call(() -> {
                service.createStage(apiId, stage, autoDeploy, request.stringProperty("DeploymentId"));
                return stage;
            });
        }

        @Override
        Set<String> ownCreateOnlyProperties() {
            return Set.of("StageName");
        }

        /** AutoDeploy and DeploymentId change in place: the stage then serves what they name. */
        @Override
        void updateChild(String apiId, String childId, ResourceRequest request) {
            boolean autoDeploy = request.stringProperty("AutoDeploy").map(Boolean::parseBoolean).orElse(false);
            call(() -> {
                service.createStage(apiId, childId, autoDeploy, request.stringProperty("DeploymentId"));
                return childId;
            });
        }

        @Override
        void deleteChild(String apiId, String childId) {
            service.deleteStage(apiId, childId);
        }
    }
}
