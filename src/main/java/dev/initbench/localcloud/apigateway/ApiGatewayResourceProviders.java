package dev.initbench.localcloud.apigateway;

import dev.initbench.localcloud.cloudformation.ProvisionedResource;
import dev.initbench.localcloud.cloudformation.ResourceFailedException;
import dev.initbench.localcloud.cloudformation.ResourceProvider;
import dev.initbench.localcloud.cloudformation.ResourceRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CloudFormation providers of {@code AWS::ApiGatewayV2::Api} (Ref: the API id; GetAtt ApiEndpoint, ApiId),
 * {@code Integration} (Ref: integration id), {@code Route} (Ref: route id) and {@code Stage} (Ref: stage name).
 * Child resources keep {@code <apiId>/<id>} as physical id so deletion finds their API.
 */
final class ApiGatewayResourceProviders {

    private ApiGatewayResourceProviders() {
    }

    static java.util.List<ResourceProvider> all(HttpApiService service) {
        return java.util.List.of(new ApiProvider(service), new IntegrationProvider(service),
                new RouteProvider(service), new StageProvider(service));
    }

    private static <T> T call(ResourceRequest request, Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new ResourceFailedException("Resource handler returned message: \"" + e.getMessage()
                    + "\" (Service: ApiGatewayV2, Status Code: 400, Error Code: BadRequestException) for "
                    + request.logicalId(), e);
        }
    }

    private static String apiId(ProvisionedResource resource) {
        return resource.physicalId().substring(0, resource.physicalId().indexOf('/'));
    }

    private static String childId(ProvisionedResource resource) {
        return resource.physicalId().substring(resource.physicalId().indexOf('/') + 1);
    }

    private record ApiProvider(HttpApiService service) implements ResourceProvider {
        @Override
        public String resourceType() {
            return "AWS::ApiGatewayV2::Api";
        }

        @Override
        public Set<String> requiredProperties() {
            return Set.of("Name", "ProtocolType");
        }

        @Override
        public Optional<Set<String>> attributeNames() {
            return Optional.of(Set.of("ApiId", "ApiEndpoint"));
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

        @Override
        public void delete(ProvisionedResource resource) {
            service.deleteApi(resource.physicalId());
        }
    }

    private record IntegrationProvider(HttpApiService service) implements ResourceProvider {
        @Override
        public String resourceType() {
            return "AWS::ApiGatewayV2::Integration";
        }

        @Override
        public Set<String> requiredProperties() {
            return Set.of("ApiId", "IntegrationType");
        }

        @Override
        public Optional<Set<String>> attributeNames() {
            return Optional.of(Set.of());
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String apiId = request.stringProperty("ApiId").orElseThrow();
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
            String id = call(request, () -> service.createIntegration(apiId, uri, timeout));
            return new ProvisionedResource(resourceType(), request.logicalId(), apiId + "/" + id, id, Map.of());
        }

        @Override
        public void delete(ProvisionedResource resource) {
            service.deleteIntegration(apiId(resource), childId(resource));
        }
    }

    private record RouteProvider(HttpApiService service) implements ResourceProvider {
        @Override
        public String resourceType() {
            return "AWS::ApiGatewayV2::Route";
        }

        @Override
        public Set<String> requiredProperties() {
            return Set.of("ApiId", "RouteKey");
        }

        @Override
        public Optional<Set<String>> attributeNames() {
            return Optional.of(Set.of());
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String apiId = request.stringProperty("ApiId").orElseThrow();
            String id = call(request, () -> service.createRoute(apiId, request.stringProperty("RouteKey").orElseThrow(),
                    request.stringProperty("Target").orElse(null)));
            return new ProvisionedResource(resourceType(), request.logicalId(), apiId + "/" + id, id, Map.of());
        }

        @Override
        public void delete(ProvisionedResource resource) {
            service.deleteRoute(apiId(resource), childId(resource));
        }
    }

    private record StageProvider(HttpApiService service) implements ResourceProvider {
        @Override
        public String resourceType() {
            return "AWS::ApiGatewayV2::Stage";
        }

        @Override
        public Set<String> requiredProperties() {
            return Set.of("ApiId", "StageName");
        }

        @Override
        public Optional<Set<String>> attributeNames() {
            return Optional.of(Set.of());
        }

        @Override
        public ProvisionedResource create(ResourceRequest request) {
            String apiId = request.stringProperty("ApiId").orElseThrow();
            String stage = request.stringProperty("StageName").orElseThrow();
            call(request, () -> {
                service.createStage(apiId, stage);
                return stage;
            });
            return new ProvisionedResource(resourceType(), request.logicalId(), apiId + "/" + stage, stage, Map.of());
        }

        @Override
        public void delete(ProvisionedResource resource) {
            service.deleteStage(apiId(resource), childId(resource));
        }
    }
}
