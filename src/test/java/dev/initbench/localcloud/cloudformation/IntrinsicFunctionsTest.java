package dev.initbench.localcloud.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every intrinsic function, short and long form, evaluated by creating a stack whose resource {@code Subject} has
 * the expression as its {@code Value} property and reading what the provider received.
 */
class IntrinsicFunctionsTest {

    private static final String TEMPLATE = """
            Parameters:
              Name: {Type: String, Default: alpha}
              Count: {Type: Number, Default: 3}
              Zones: {Type: CommaDelimitedList, Default: "a, b,c"}
              Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
            Mappings:
              Sizes:
                prod: {Memory: 1024}
                dev: {Memory: 256}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              IsDev: !Not [!Condition IsProd]
              ProdAndAlpha: !And [!Condition IsProd, !Equals [!Ref Name, alpha]]
              DevOrAlpha: !Or [!Condition IsDev, !Equals [alpha, !Ref Name]]
            Resources:
              Source:
                Type: Test::Thing
              Subject:
                Type: Test::Thing
                Properties:
                  Value: %s
                  Marker: present
            """;
    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "(property removed)";
        }
    };
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static LocalStacks cloud;

    @BeforeAll
    static void start() {
        cloud = new LocalStacks(Optional.empty(), "Test::Thing");
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("!Ref Name", "alpha"),
                Arguments.of("!Ref Count", "3"),
                Arguments.of("!Ref Zones", List.of("a", "b", "c")),
                Arguments.of("!Ref Source", "Source-id"),
                Arguments.of("{Ref: Source}", "Source-id"),
                Arguments.of("!GetAtt Source.Arn", "arn:fake:Source"),
                Arguments.of("!GetAtt [Source, Name]", "Source-name"),
                Arguments.of("{\"Fn::GetAtt\": [Source, Arn]}", "arn:fake:Source"),
                Arguments.of("{\"Fn::GetAtt\": Source.Name}", "Source-name"),
                Arguments.of("!Sub \"${Name}/${Source}/${Source.Arn}/${!Literal}/${AWS::Region}\"",
                        "alpha/Source-id/arn:fake:Source/${Literal}/eu-west-1"),
                Arguments.of("!Sub [\"${Greeting} ${Name}\", {Greeting: !Join [\"\", [h, i]]}]", "hi alpha"),
                Arguments.of("{\"Fn::Sub\": \"n=${Name}\"}", "n=alpha"),
                Arguments.of("!Join [\",\", !Ref Zones]", "a,b,c"),
                Arguments.of("!Join [\"-\", [x, !Ref Count, !Ref Source]]", "x-3-Source-id"),
                Arguments.of("!Select [1, !Ref Zones]", "b"),
                Arguments.of("!Select [\"2\", !Split [\"/\", \"x/y/z\"]]", "z"),
                Arguments.of("!Split [\",\", \"p,q\"]", List.of("p", "q")),
                Arguments.of("!If [IsProd, yes-prod, no-prod]", "yes-prod"),
                Arguments.of("!If [IsDev, dev, !Ref \"AWS::NoValue\"]", ABSENT),
                Arguments.of("[one, !If [IsDev, two, !Ref \"AWS::NoValue\"], three]", List.of("one", "three")),
                Arguments.of("!If [ProdAndAlpha, both, neither]", "both"),
                Arguments.of("!If [DevOrAlpha, either, none]", "either"),
                Arguments.of("!GetAZs \"\"", List.of("eu-west-1a", "eu-west-1b", "eu-west-1c")),
                Arguments.of("!Select [0, !GetAZs {Ref: \"AWS::Region\"}]", "eu-west-1a"),
                Arguments.of("!Base64 hi", "aGk="),
                Arguments.of("!Base64 {\"Fn::Sub\": \"${Name}\"}", "YWxwaGE="),
                Arguments.of("!FindInMap [Sizes, !Ref Env, Memory]", 1024),
                Arguments.of("!Ref AWS::AccountId", "123456789012"),
                Arguments.of("!Ref AWS::Partition", "aws"),
                Arguments.of("!Ref AWS::URLSuffix", "amazonaws.com"),
                Arguments.of("!Ref AWS::NotificationARNs", List.of()),
                Arguments.of("{Inner: {Deep: !Ref Name, Gone: !Ref \"AWS::NoValue\"}}", Map.of("Inner", Map.of("Deep", "alpha"))),
                Arguments.of("2012-10-17", "2012-10-17"),
                Arguments.of("42", 42),
                Arguments.of("true", true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("expressions")
    void evaluates(String expression, Object expected) {
        Map<String, Object> properties = created(expression);
        if (expected == ABSENT) {
            assertThat(properties).doesNotContainKey("Value").containsEntry("Marker", "present");
        } else {
            assertThat(properties.get("Value")).isEqualTo(expected);
        }
    }

    @Test
    void pseudoParametersNameTheStack() {
        String stackName = "pseudo-" + STACKS.incrementAndGet();
        String stackId = cloud.create(stackName, TEMPLATE.formatted("!Sub \"${AWS::StackName}|${AWS::StackId}\""));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.provider("Test::Thing").requests.get("Subject").properties().get("Value"))
                .isEqualTo(stackName + "|" + stackId);
        assertThat(stackId).matches("arn:aws:cloudformation:eu-west-1:123456789012:stack/" + stackName + "/[0-9a-f-]{36}");
    }

    @Test
    void jsonTemplatesUseTheLongForms() {
        String stackId = cloud.create("json-" + STACKS.incrementAndGet(), """
                {
                  "Parameters": {"Name": {"Type": "String", "Default": "beta"}},
                  "Conditions": {"Yes": {"Fn::Equals": [{"Ref": "Name"}, "beta"]}},
                  "Resources": {
                    "Source": {"Type": "Test::Thing"},
                    "Subject": {
                      "Type": "Test::Thing",
                      "Properties": {
                        "Value": {"Fn::Join": ["|", [
                          {"Fn::Sub": ["${N}-${Source.Arn}", {"N": {"Ref": "Name"}}]},
                          {"Fn::If": ["Yes", {"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}, "no"]},
                          {"Fn::GetAtt": ["Source", "Name"]}
                        ]]},
                        "Count": 7
                      }
                    }
                  }
                }
                """);
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("CREATE_COMPLETE");
        assertThat(cloud.provider("Test::Thing").requests.get("Subject").properties())
                .containsEntry("Value", "beta-arn:fake:Source|b|Source-name").containsEntry("Count", 7);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "!GetAtt Source.Missing | resource Source does not support attribute type Missing in Fn::GetAtt",
        "!GetAZs '' | the Value of output O must resolve to a string, not [eu-west-1a, eu-west-1b, eu-west-1c]"})
    void failingOutputRollsTheStackBack(String value, String reason) {
        String stackId = cloud.create("bad-output-" + STACKS.incrementAndGet(),
                "Resources:\n  Source: {Type: Test::Thing}\nOutputs:\n  O: {Value: " + value + "}\n");
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("ROLLBACK_COMPLETE");
        assertThat((String) cloud.describe(stackId).get("StackStatusReason")).contains(reason);
    }

    static Stream<Arguments> failingExpressions() {
        return Stream.of(
                Arguments.of("!GetAtt Source.Nope", "resource Source does not support attribute type Nope in Fn::GetAtt"),
                Arguments.of("!Select [5, !Ref Zones]", "Fn::Select cannot select nonexistent value at index 5"),
                Arguments.of("!FindInMap [Sizes, staging, Memory]", "Unable to get mapping for Sizes::staging::Memory"),
                Arguments.of("!Sub \"${Zones}\"", "Fn::Sub variable ${Zones} is a list"));
    }

    /** A failed evaluation fails the resource with a reason naming the cause, and the stack rolls back. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("failingExpressions")
    void failsTheResourceNamingTheProblem(String expression, String reason) {
        String stackId = cloud.create("failing-" + STACKS.incrementAndGet(), TEMPLATE.formatted(expression));
        assertThat(cloud.awaitSettled(stackId)).isEqualTo("ROLLBACK_COMPLETE");
        assertThat(cloud.events(stackId)).anySatisfy(event -> {
            assertThat(event).containsEntry("LogicalResourceId", "Subject").containsEntry("ResourceStatus", "CREATE_FAILED");
            assertThat((String) event.get("ResourceStatusReason")).contains(reason);
        });
    }

    private static Map<String, Object> created(String expression) {
        String stackId = cloud.create("intrinsics-" + STACKS.incrementAndGet(), TEMPLATE.formatted(expression));
        assertThat(cloud.awaitSettled(stackId)).as("status of stack for %s: %s", expression,
                cloud.describe(stackId).get("StackStatusReason")).isEqualTo("CREATE_COMPLETE");
        return cloud.provider("Test::Thing").requests.get("Subject").properties();
    }
}
