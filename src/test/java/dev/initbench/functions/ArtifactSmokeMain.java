package dev.initbench.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.List;

/**
 * Run by {@link ArtifactContentsTest} in a JVM whose classpath is the unpacked deployment artifact (plus this
 * class): constructs each handler the way the Lambda runtime does and prints one response body of each. A class
 * missing from the artifact fails here exactly as it would in Lambda.
 */
public final class ArtifactSmokeMain {

    private ArtifactSmokeMain() {
    }

    public static void main(String[] args) {
        for (ParameterFunction handler : List.of(new EagerInitHandler(), new LazyInitHandler(), new AsyncInitHandler())) {
            System.out.println(handler.handleRequest(new APIGatewayV2HTTPEvent(), null).getBody());
        }
    }
}
