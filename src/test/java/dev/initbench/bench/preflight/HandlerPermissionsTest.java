package dev.initbench.bench.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.deploy.BuildOutputs;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The schema snapshot covers template.yaml: every resource type it declares has its handlers' permissions listed,
 * and each permission left out as not needed belongs to a property template.yaml does not set. Together with
 * {@link PreflightTest} (the documented role policy passes the policy simulator for all the rest), the policy
 * cannot drift from the template.
 */
class HandlerPermissionsTest {

    private static final String TEMPLATE = BuildOutputs.templateBody();
    private final HandlerPermissions handlers = HandlerPermissions.load();

    @Test
    void everyResourceTypeOfTheTemplateIsInTheSnapshot() {
        List<String> types = HandlerPermissions.resourceTypes(TEMPLATE);

        assertThat(types).contains("AWS::Lambda::Function", "AWS::Logs::LogGroup", "AWS::ApiGatewayV2::Stage");
        assertThat(handlers.knownTypes()).containsAll(types);
        types.forEach(type -> assertThat(handlers.needed(type)).as(type).isNotEmpty());
    }

    @Test
    void permissionsLeftOutBelongToPropertiesTheTemplateDoesNotSet() {
        for (HandlerPermissions.NotNeeded notNeeded : handlers.notNeeded()) {
            assertThat(handlers.listed(notNeeded.type())).as(notNeeded.toString())
                    .containsAll(notNeeded.permissions());
            notNeeded.unlessProperty().ifPresent(property -> assertThat(TEMPLATE)
                    .as("template.yaml sets %s on some resource, so %s need %s", property, notNeeded.type(),
                            notNeeded.permissions())
                    .doesNotContainPattern(Pattern.compile("(?m)^      " + property + ":")));
        }
    }

    @Test
    void readHandlersPermissionsNamedByTheIssueAreNeeded() {
        assertThat(handlers.needed("AWS::Logs::LogGroup")).contains("logs:GetDataProtectionPolicy",
                "logs:DescribeIndexPolicies", "logs:DescribeResourcePolicies");
        assertThat(handlers.needed("AWS::Lambda::Function")).contains("lambda:GetFunctionScalingConfig");
    }
}
