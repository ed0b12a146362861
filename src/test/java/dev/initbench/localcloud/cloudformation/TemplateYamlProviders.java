package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Fake providers for every type {@code template.yaml} uses, answering Ref and Fn::GetAtt as AWS does for each
 * (role name and ARN, function name and ARN, version and alias ARNs, API id and endpoint, ...).
 */
final class TemplateYamlProviders {

    private static final String ACCOUNT = LocalStacks.CONTEXT.accountId();
    private static final String REGION = LocalStacks.CONTEXT.region();
    static final String LAMBDA_ARN = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:";

    private TemplateYamlProviders() {
    }

    static List<FakeResourceProvider> of(FakeResourceProvider.Journal journal) {
        return List.of(
                provider(journal, "AWS::SSM::Parameter", Set.of("Type", "Value"), request -> resource(request,
                        request.stringProperty("Name").orElseThrow(), Map.of("Type", "String"))),
                provider(journal, "AWS::IAM::Role", Set.of("AssumeRolePolicyDocument"), request -> {
                    String name = request.generatedName(64);
                    return resource(request, name, Map.of("Arn", "arn:aws:iam::" + ACCOUNT + ":role/" + name,
                            "RoleId", "AROA" + request.logicalId().toUpperCase()));
                }),
                provider(journal, "AWS::Lambda::Function", Set.of("Code", "Role"), request -> {
                    String name = request.generatedName(64);
                    return resource(request, name, Map.of("Arn", LAMBDA_ARN + name));
                }),
                provider(journal, "AWS::Logs::LogGroup", Set.of(), request -> resource(request,
                        request.stringProperty("LogGroupName").orElseThrow(), Map.of())),
                provider(journal, "AWS::Lambda::Version", Set.of("FunctionName"), request -> {
                    String arn = LAMBDA_ARN + request.stringProperty("FunctionName").orElseThrow() + ":1";
                    return new ProvisionedResource("AWS::Lambda::Version", request.logicalId(), arn, arn,
                            Map.of("Version", "1", "FunctionArn", arn));
                }),
                provider(journal, "AWS::Lambda::Alias", Set.of("FunctionName", "FunctionVersion", "Name"), request -> {
                    String arn = LAMBDA_ARN + request.stringProperty("FunctionName").orElseThrow() + ":"
                            + request.stringProperty("Name").orElseThrow();
                    return new ProvisionedResource("AWS::Lambda::Alias", request.logicalId(), arn, arn,
                            Map.of("AliasArn", arn));
                }),
                provider(journal, "AWS::ApiGatewayV2::Api", Set.of(), request -> resource(request, "api1234",
                        Map.of("ApiEndpoint", "http://127.0.0.1:4566/_api/api1234", "ApiId", "api1234"))),
                provider(journal, "AWS::ApiGatewayV2::Integration", Set.of("ApiId", "IntegrationType"),
                        request -> resource(request, "int-" + request.logicalId(), Map.of())),
                provider(journal, "AWS::ApiGatewayV2::Route", Set.of("ApiId", "RouteKey"),
                        request -> resource(request, "route-" + request.logicalId(), Map.of())),
                provider(journal, "AWS::ApiGatewayV2::Deployment", Set.of("ApiId"),
                        request -> resource(request, "deployment-" + request.logicalId(), Map.of())),
                provider(journal, "AWS::ApiGatewayV2::Stage", Set.of("ApiId"), request -> resource(request,
                        request.stringProperty("StageName").orElseThrow(), Map.of())),
                provider(journal, "AWS::Lambda::Permission", Set.of("Action", "FunctionName", "Principal"),
                        request -> resource(request, "perm-" + request.logicalId(), Map.of())));
    }

    private static FakeResourceProvider provider(FakeResourceProvider.Journal journal, String type,
                                                 Set<String> required,
                                                 Function<ResourceRequest, ProvisionedResource> factory) {
        return new FakeResourceProvider(type, required, journal, factory);
    }

    private static ProvisionedResource resource(ResourceRequest request, String id, Map<String, String> attributes) {
        return new ProvisionedResource("", request.logicalId(), id, id, attributes);
    }
}
