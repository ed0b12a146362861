package dev.initbench.localcloud.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad templates and bad parameters are refused synchronously by CreateStack (and ValidateTemplate) with AWS's
 * error code and a message naming the cause; nothing is created.
 */
class TemplateValidationTest {

    private LocalStacks cloud;

    @BeforeEach
    void start() {
        cloud = new LocalStacks(Optional.empty(), "Test::Thing", "AWS::IAM::Role");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    static Stream<Arguments> badTemplates() {
        return Stream.of(
                Arguments.of("malformed YAML", "Resources:\n  A: [unclosed\n",
                        "Template format error: YAML not well-formed. (line"),
                Arguments.of("malformed JSON", "{\"Resources\": {\"A\": }",
                        "Template format error: JSON not well-formed. (line 1"),
                Arguments.of("duplicate key", "Resources:\n  A: {Type: Test::Thing}\n  A: {Type: Test::Thing}\n",
                        "found duplicate key A"),
                Arguments.of("unknown YAML tag", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Reff x}}\n",
                        "!Reff"),
                Arguments.of("not a map", "- just\n- a list\n", "Template format error: unsupported structure."),
                Arguments.of("no resources", "Parameters: {P: {Type: String}}\n",
                        "Template format error: At least one Resources member must be defined."),
                Arguments.of("unknown section", "Resource:\n  A: {Type: Test::Thing}\n",
                        "Invalid template property or properties [Resource]"),
                Arguments.of("resource without type", "Resources:\n  A: {Properties: {}}\n",
                        "[/Resources/A] Every Resources object must contain a Type member."),
                Arguments.of("unknown resource attribute", "Resources:\n  A: {Type: Test::Thing, Propertys: {}}\n",
                        "Invalid template resource property 'Propertys'"),
                Arguments.of("non-alphanumeric logical id", "Resources:\n  My-Res: {Type: Test::Thing}\n",
                        "Resource name My-Res is non alphanumeric."),
                Arguments.of("unresolved Ref", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Ref Missing}}\n",
                        "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"),
                Arguments.of("unresolved GetAtt", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !GetAtt Ghost.Arn}}\n",
                        "Unresolved resource dependencies [Ghost] in the Resources block"),
                Arguments.of("GetAtt on a parameter", "Parameters: {P: {Type: String, Default: x}}\n"
                        + "Resources:\n  A: {Type: Test::Thing, Properties: {V: !GetAtt P.Arn}}\n",
                        "Unresolved resource dependencies [P] in the Resources block"),
                Arguments.of("unresolved Sub variable", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Sub \"${Nope.Arn}-${Nada}\"}}\n",
                        "Unresolved resource dependencies [Nada, Nope] in the Resources block"),
                Arguments.of("unresolved DependsOn", "Resources:\n  A: {Type: Test::Thing, DependsOn: Later}\n",
                        "Unresolved resource dependencies [Later] in the Resources block"),
                Arguments.of("unresolved output", "Resources:\n  A: {Type: Test::Thing}\nOutputs:\n  O: {Value: !Ref B}\n",
                        "Unresolved resource dependencies [B] in the Outputs block of the template"),
                Arguments.of("output without value", "Resources:\n  A: {Type: Test::Thing}\nOutputs:\n  O: {Description: x}\n",
                        "Every Outputs member must contain a Value object; O has none"),
                Arguments.of("cycle", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Ref B}}\n"
                        + "  B: {Type: Test::Thing, Properties: {V: !GetAtt C.Arn}}\n"
                        + "  C: {Type: Test::Thing, DependsOn: A}\n  D: {Type: Test::Thing}\n",
                        "Circular dependency between resources: [A, B, C]"),
                Arguments.of("self reference", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Sub \"${A}\"}}\n",
                        "Circular dependency between resources: [A]"),
                Arguments.of("unknown condition", "Resources:\n  A: {Type: Test::Thing, Condition: Nope}\n",
                        "Unresolved condition dependencies [Nope] in resource A"),
                Arguments.of("Fn::If with unknown condition", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !If [Nope, a, b]}}\n",
                        "Unresolved condition dependencies [Nope]"),
                Arguments.of("condition referencing a resource", "Conditions:\n  C: !Equals [!Ref A, x]\n"
                        + "Resources:\n  A: {Type: Test::Thing}\n",
                        "Unresolved dependencies [A]. Cannot reference resources in the Conditions block of the template"),
                Arguments.of("circular conditions", "Conditions:\n  C1: !Not [!Condition C2]\n  C2: !Not [!Condition C1]\n"
                        + "Resources:\n  A: {Type: Test::Thing}\n",
                        "Circular dependency between conditions: [C1, C2]"),
                Arguments.of("Fn::ImportValue", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !ImportValue shared}}\n",
                        "Fn::ImportValue is not supported by the local cloud"),
                Arguments.of("unknown function", "Resources:\n  A: {Type: Test::Thing, Properties: {V: {\"Fn::Frobnicate\": x}}}\n",
                        "Unrecognized or unsupported intrinsic function Fn::Frobnicate"),
                Arguments.of("bad Fn::Join shape", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Join [\",\"]}}\n",
                        "Fn::Join requires a list of 2 arguments"),
                Arguments.of("bad Fn::Sub shape", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !Sub [a, b, c]}}\n",
                        "Fn::Sub takes a string or a list of a string and a map of variables"),
                Arguments.of("GetAtt without attribute", "Resources:\n  A: {Type: Test::Thing, Properties: {V: !GetAtt B}}\n"
                        + "  B: {Type: Test::Thing}\n", "'!GetAtt B' must have the form '!GetAtt Resource.Attribute'"),
                Arguments.of("parameter without type", "Parameters: {P: {Default: x}}\nResources:\n  A: {Type: Test::Thing}\n",
                        "Every Parameters object must contain a Type member."),
                Arguments.of("unknown parameter type", "Parameters: {P: {Type: Integer}}\nResources:\n  A: {Type: Test::Thing}\n",
                        "Unrecognized parameter type: Integer"),
                Arguments.of("default violates its constraint", "Parameters: {P: {Type: String, Default: ab, MinLength: 3}}\n"
                        + "Resources:\n  A: {Type: Test::Thing}\n", "Parameter 'P' must contain at least 3 characters"),
                Arguments.of("DeletionPolicy Snapshot", "Resources:\n  A: {Type: Test::Thing, DeletionPolicy: Snapshot}\n",
                        "DeletionPolicy Snapshot of resource A is not supported by the local cloud"),
                Arguments.of("wrong format version", "AWSTemplateFormatVersion: 2011-01-01\nResources:\n  A: {Type: Test::Thing}\n",
                        "AWSTemplateFormatVersion '2011-01-01' is not supported"),
                Arguments.of("transform", "Transform: AWS::Serverless-2016-10-31\nResources:\n  A: {Type: Test::Thing}\n",
                        "Transform [AWS::Serverless-2016-10-31] is not supported by the local cloud"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTemplates")
    void createStackRefusesBadTemplate(String name, String template, String message) {
        assertThatThrownBy(() -> cloud.create("bad", template))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("ValidationError");
                    assertThat(e.httpStatus()).isEqualTo(400);
                })
                .hasMessageContaining(message);
        assertThat(cloud.journal.entries).isEmpty();
        assertThat(cloud.call("DescribeStacks").get("Stacks")).asList().isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTemplates")
    void validateTemplateRefusesBadTemplate(String name, String template, String message) {
        if (name.equals("transform")) {
            assertThat(cloud.call("ValidateTemplate", "TemplateBody", template).get("DeclaredTransforms"))
                    .isEqualTo(List.of("AWS::Serverless-2016-10-31"));
            return;
        }
        assertThatThrownBy(() -> cloud.call("ValidateTemplate", "TemplateBody", template))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ValidationError"))
                .hasMessageContaining(message);
    }

    private static final String PARAMETERS = """
            Parameters:
              Text: {Type: String, Default: abc, MinLength: 2, MaxLength: 5, AllowedPattern: "[a-z]+"}
              Size: {Type: Number, Default: 10, MinValue: 1, MaxValue: 100}
              Sizes: {Type: "List<Number>", Default: "1,2"}
              Names: {Type: CommaDelimitedList, Default: "x,y"}
              Choice: {Type: String, Default: red, AllowedValues: [red, green]}
              Code: {Type: String, Default: A1, AllowedPattern: "[A-Z][0-9]", ConstraintDescription: one capital and one digit}
              Required: {Type: String}
              Subnet: {Type: "AWS::EC2::Subnet::Id"}
              Secret: {Type: String, NoEcho: true, Default: hush}
            Resources:
              A: {Type: Test::Thing, Properties: {V: !Ref Text}}
            """;

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of(List.of("Subnet", "s-1"), "Parameters: [Required] must have values"),
                Arguments.of(List.of("Required", "r"), "Parameters: [Subnet] must have values"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Extra", "1", "Other", "2"),
                        "Parameters: [Extra, Other] do not exist in the template"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Size", "ten"), "Parameter 'Size' must be a number."),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Size", "0"),
                        "Parameter 'Size' must be a number not less than 1"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Size", "101"),
                        "Parameter 'Size' must be a number not greater than 100"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Sizes", "1,x"),
                        "Parameter 'Sizes' must be a list of numbers, but 'x' is not a number"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Text", "a"),
                        "Parameter 'Text' must contain at least 2 characters"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Text", "abcdef"),
                        "Parameter 'Text' must contain at most 5 characters"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Text", "AB"),
                        "Parameter 'Text' must match pattern [a-z]+"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Choice", "blue"),
                        "Parameter 'Choice' must be one of AllowedValues [red, green]"),
                Arguments.of(List.of("Required", "r", "Subnet", "s", "Code", "a1"),
                        "Parameter 'Code' failed to satisfy constraint: one capital and one digit"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badParameters")
    void createStackRefusesBadParameter(List<String> given, String message) {
        assertThatThrownBy(() -> cloud.create("params", PARAMETERS, parameters(given)))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ValidationError"))
                .hasMessageContaining(message);
        assertThat(cloud.journal.entries).isEmpty();
    }

    @Test
    void validParametersAreShownWithNoEchoMasked() {
        String stackId = cloud.create("params", PARAMETERS, parameters(List.of("Required", "r", "Subnet",
                "subnet-1", "Sizes", "3, 4", "Secret", "top")));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) cloud.describe(stackId).get("Parameters");
        assertThat(shown).extracting(parameter -> parameter.get("ParameterKey") + "=" + parameter.get("ParameterValue"))
                .containsExactly("Text=abc", "Size=10", "Sizes=3, 4", "Names=x,y", "Choice=red", "Code=A1",
                        "Required=r", "Subnet=subnet-1", "Secret=****");
    }

    @Test
    void validateTemplateDescribesParametersAndCapabilities() {
        Map<String, Object> result = cloud.call("ValidateTemplate", "TemplateBody", """
                Description: demo
                Parameters:
                  P: {Type: String, Default: x, Description: the p, NoEcho: true}
                  Q: {Type: Number}
                Resources:
                  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
                """);
        assertThat(result).containsEntry("Description", "demo")
                .containsEntry("Capabilities", List.of("CAPABILITY_IAM"))
                .containsEntry("CapabilitiesReason", "The following resource(s) require capabilities: [AWS::IAM::Role]")
                .containsEntry("DeclaredTransforms", List.of());
        Map<String, Object> unset = new java.util.LinkedHashMap<>();
        unset.put("ParameterKey", "Q");
        unset.put("DefaultValue", null);
        unset.put("NoEcho", false);
        unset.put("Description", null);
        assertThat(result.get("Parameters")).isEqualTo(List.of(
                Map.of("ParameterKey", "P", "DefaultValue", "x", "NoEcho", true, "Description", "the p"), unset));
    }

    @Test
    void templateBodyAndUrlAreMutuallyExclusive() {
        assertThatThrownBy(() -> cloud.call("CreateStack", "StackName", "s"))
                .hasMessage("Specify exactly one of TemplateBody or TemplateUrl.");
        assertThatThrownBy(() -> cloud.call("CreateStack", "StackName", "s", "TemplateBody", "x",
                "TemplateURL", "http://127.0.0.1:4566/b/k"))
                .hasMessage("Specify exactly one of TemplateBody or TemplateUrl.");
    }

    @Test
    void templateBodyOverAwsLimitIsRefused() {
        String large = "Description: " + "x".repeat(51_200) + "\nResources:\n  A: {Type: Test::Thing}\n";
        assertThatThrownBy(() -> cloud.create("large", large))
                .hasMessageContaining("'templateBody' failed to satisfy constraint: Member must have length less than "
                        + "or equal to 51200");
        cloud.putObject("b", "large.yaml", large);
        assertThat(cloud.call("ValidateTemplate", "TemplateURL", "http://127.0.0.1:4566/b/large.yaml"))
                .containsKey("Description");
    }

    @Test
    void badStackNameIsRefused() {
        assertThatThrownBy(() -> cloud.create("1st_stack", "Resources: {A: {Type: Test::Thing}}"))
                .hasMessageContaining("Value '1st_stack' at 'stackName' failed to satisfy constraint");
    }

    private static String[] parameters(List<String> keyValues) {
        String[] form = new String[keyValues.size() * 2];
        for (int i = 0; i < keyValues.size(); i += 2) {
            int member = i / 2 + 1;
            form[2 * i] = "Parameters.member." + member + ".ParameterKey";
            form[2 * i + 1] = keyValues.get(i);
            form[2 * i + 2] = "Parameters.member." + member + ".ParameterValue";
            form[2 * i + 3] = keyValues.get(i + 1);
        }
        return form;
    }
}
