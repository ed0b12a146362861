package dev.initbench.localcloud.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * An AutoDeploy stage deploys asynchronously (AWS, and the local cloud after {@code AUTO_DEPLOY_DELAY}): a route
 * created after the stage, as template.yaml's routes were (they wait for the aliases), is not served right after
 * CREATE_COMPLETE. An explicit Deployment that depends on the route, with the stage created on it, is.
 */
class ApiDeploymentTest {

    private static final String API = """
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: deploy-test, ProtocolType: HTTP}
              Integration:
                Type: AWS::ApiGatewayV2::Integration
                Properties:
                  ApiId: !Ref Api
                  IntegrationType: AWS_PROXY
                  IntegrationUri: arn:aws:lambda:us-east-1:000000000000:function:absent:live
                  PayloadFormatVersion: "2.0"
            """;
    private static final String AUTO_DEPLOY = API + """
              Stage:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref Api, StageName: $default, AutoDeploy: true}
              Route:
                Type: AWS::ApiGatewayV2::Route
                DependsOn: Stage
                Properties: {ApiId: !Ref Api, RouteKey: GET /hello, Target: !Sub "integrations/${Integration}"}
            Outputs:
              Endpoint: {Value: !GetAtt Api.ApiEndpoint}
            """;
    private static final String EXPLICIT = API + """
              Route:
                Type: AWS::ApiGatewayV2::Route
                Properties: {ApiId: !Ref Api, RouteKey: GET /hello, Target: !Sub "integrations/${Integration}"}
              Deployment:
                Type: AWS::ApiGatewayV2::Deployment
                DependsOn: Route
                Properties: {ApiId: !Ref Api}
              Stage:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref Api, StageName: $default, DeploymentId: !Ref Deployment, AutoDeploy: false}
            Outputs:
              Endpoint: {Value: !GetAtt Api.ApiEndpoint}
            """;

    private static LocalCloud cloud;
    private static CloudFormationClient cloudFormation;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().start();
        cloudFormation = TestClients.cloudFormation(cloud);
    }

    @AfterAll
    static void stop() {
        cloudFormation.close();
        cloud.close();
    }

    private static URI deploy(String name, String template) throws InterruptedException {
        cloudFormation.createStack(b -> b.stackName(name).templateBody(template));
        for (int i = 0; i < 200; i++) {
            Stack stack = cloudFormation.describeStacks(b -> b.stackName(name)).stacks().get(0);
            if (stack.stackStatusAsString().equals("CREATE_COMPLETE")) {
                return URI.create(stack.outputs().get(0).outputValue() + "/hello");
            }
            assertThat(stack.stackStatusAsString()).isEqualTo("CREATE_IN_PROGRESS");
            Thread.sleep(25);
        }
        throw new AssertionError(name + " was not created in 5 s");
    }

    private static int status(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void autoDeployStageDoesNotServeARouteCreatedAfterItUntilItHasRedeployed() throws Exception {
        URI hello = deploy("auto-deploy", AUTO_DEPLOY);

        assertThat(status(hello)).as("right after CREATE_COMPLETE").isEqualTo(404);
        Thread.sleep(LocalCloud.AUTO_DEPLOY_DELAY.toMillis() + 500);
        assertThat(status(hello)).as("after the asynchronous deployment").isNotEqualTo(404);
    }

    @Test
    void explicitDeploymentServesEveryRouteAsSoonAsTheStackIsComplete() throws Exception {
        URI hello = deploy("explicit", EXPLICIT);

        assertThat(status(hello)).isNotEqualTo(404);
    }
}
