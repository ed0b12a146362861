package dev.initbench.localcloud.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.LocalCloudExtension;
import dev.initbench.localcloud.TestClients;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;

/** SSM Parameter Store through the real SDK v2 SsmClient against a running local cloud. */
class SsmApiTest {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();
    private static SsmClient ssm;

    @BeforeAll
    static void start() {
        ssm = CLOUD.client(TestClients::ssm);
    }

    @Test
    void putThenGetReturnsTheValueWithVersionArnAndEpochSecondTimestamp() {
        long before = System.currentTimeMillis() / 1000;
        assertThat(ssm.putParameter(b -> b.name("/roundtrip/value").value("42").type(ParameterType.STRING))
                .version()).isEqualTo(1L);

        Parameter parameter = ssm.getParameter(b -> b.name("/roundtrip/value")).parameter();

        assertThat(parameter.value()).isEqualTo("42");
        assertThat(parameter.type()).isEqualTo(ParameterType.STRING);
        assertThat(parameter.version()).isEqualTo(1L);
        assertThat(parameter.arn()).isEqualTo("arn:aws:ssm:us-east-1:000000000000:parameter/roundtrip/value");
        assertThat(parameter.dataType()).isEqualTo("text");
        assertThat(parameter.lastModifiedDate().getEpochSecond()).isBetween(before, before + 60);
    }

    @Test
    void overwriteAddsAVersionAndEveryVersionStaysSelectable() {
        ssm.putParameter(b -> b.name("/versions/value").value("one").type(ParameterType.STRING));
        assertThat(ssm.putParameter(b -> b.name("/versions/value").value("two").overwrite(true)).version())
                .isEqualTo(2L);

        assertThat(ssm.getParameter(b -> b.name("/versions/value")).parameter().value()).isEqualTo("two");
        Parameter first = ssm.getParameter(b -> b.name("/versions/value:1")).parameter();
        assertThat(first.value()).isEqualTo("one");
        assertThat(first.selector()).isEqualTo(":1");
        assertThat(ssm.getParameterHistory(b -> b.name("/versions/value")).parameters())
                .extracting(p -> p.value()).containsExactly("one", "two");
        assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/versions/value:9")))
                .isInstanceOf(ParameterVersionNotFoundException.class).hasMessageContaining("version 9");
    }

    @Test
    void putWithoutOverwriteOnAnExistingNameIsParameterAlreadyExists() {
        ssm.putParameter(b -> b.name("/exists/value").value("a").type(ParameterType.STRING));

        assertThatThrownBy(() -> ssm.putParameter(b -> b.name("/exists/value").value("b")
                .type(ParameterType.STRING)))
                .isInstanceOf(ParameterAlreadyExistsException.class)
                .hasMessageContaining("/exists/value")
                .satisfies(e -> assertThat(((ParameterAlreadyExistsException) e).statusCode()).isEqualTo(400));
        assertThat(ssm.getParameter(b -> b.name("/exists/value")).parameter().value()).isEqualTo("a");
    }

    @Test
    void missingParameterIsParameterNotFoundOnGetAndDelete() {
        assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/nowhere")))
                .isInstanceOf(ParameterNotFoundException.class).hasMessageContaining("/nowhere");
        assertThatThrownBy(() -> ssm.deleteParameter(b -> b.name("/nowhere")))
                .isInstanceOf(ParameterNotFoundException.class);
    }

    @Test
    void deleteRemovesTheParameter() {
        ssm.putParameter(b -> b.name("/deleted/value").value("x").type(ParameterType.STRING));
        ssm.deleteParameter(b -> b.name("/deleted/value"));

        assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/deleted/value")))
                .isInstanceOf(ParameterNotFoundException.class);
    }

    @Test
    void secureStringIsOpaqueUnlessDecrypted() {
        ssm.putParameter(b -> b.name("/secure/password").value("s3cr3t").type(ParameterType.SECURE_STRING));

        assertThat(ssm.getParameter(b -> b.name("/secure/password")).parameter().value())
                .isNotBlank().doesNotContain("s3cr3t");
        assertThat(ssm.getParameter(b -> b.name("/secure/password").withDecryption(true)).parameter().value())
                .isEqualTo("s3cr3t");
    }

    @Test
    void stringListKeepsItsCommaSeparatedValue() {
        ssm.putParameter(b -> b.name("/list/value").value("a,b,c").type(ParameterType.STRING_LIST));

        Parameter parameter = ssm.getParameter(b -> b.name("/list/value")).parameter();
        assertThat(parameter.type()).isEqualTo(ParameterType.STRING_LIST);
        assertThat(parameter.value()).isEqualTo("a,b,c");
    }

    @Test
    void getParametersSeparatesFoundFromInvalidNames() {
        ssm.putParameter(b -> b.name("/many/one").value("1").type(ParameterType.STRING));

        GetParametersResponse response = ssm.getParameters(b -> b.names("/many/one", "/many/missing"));

        assertThat(response.parameters()).extracting(Parameter::name).containsExactly("/many/one");
        assertThat(response.invalidParameters()).containsExactly("/many/missing");
    }

    @Test
    void getParametersByPathPaginatesRecursivelyAndStopsAtDirectChildrenOtherwise() {
        for (String name : List.of("/tree/a", "/tree/b", "/tree/c", "/tree/sub/d", "/tree/sub/deeper/e", "/other/f")) {
            ssm.putParameter(b -> b.name(name).value("v").type(ParameterType.STRING));
        }

        List<String> recursive = ssm.getParametersByPathPaginator(b -> b.path("/tree").recursive(true).maxResults(2))
                .stream().flatMap(page -> page.parameters().stream()).map(Parameter::name).toList();
        List<String> direct = ssm.getParametersByPathPaginator(b -> b.path("/tree/").maxResults(2))
                .stream().flatMap(page -> page.parameters().stream()).map(Parameter::name).toList();

        assertThat(recursive).containsExactly("/tree/a", "/tree/b", "/tree/c", "/tree/sub/d", "/tree/sub/deeper/e");
        assertThat(direct).containsExactly("/tree/a", "/tree/b", "/tree/c");
    }
}
