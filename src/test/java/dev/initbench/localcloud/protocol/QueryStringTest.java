package dev.initbench.localcloud.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.protocol.QueryString.Encoding;
import dev.initbench.localcloud.protocol.QueryString.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void inAUrlQueryABarePlusIsAPlusAndOnlyPercent20IsASpace() {
        assertThat(QueryString.parse("prefix=c++%20notes&plus=%2B", Encoding.PERCENT))
                .containsExactly(new Pair("prefix", "c++ notes"), new Pair("plus", "+"));
        assertThat(QueryString.decode("/bucket/a+b%20c", Encoding.PERCENT)).isEqualTo("/bucket/a+b c");
    }

    @Test
    void inAFormBodyAPlusIsASpaceAndPercent2BIsAPlus() {
        assertThat(QueryString.parse("Action=CreateRole&Description=a+b%2Bc%20d", Encoding.FORM))
                .containsExactly(new Pair("Action", "CreateRole"), new Pair("Description", "a b+c d"));
    }

    @Test
    void decodesUtf8AndKeepsWhatIsNotAnEscape() {
        assertThat(QueryString.decode("%C3%BC%E2%82%AC", Encoding.PERCENT)).isEqualTo("ü€");
        assertThat(QueryString.decode("100%", Encoding.PERCENT)).isEqualTo("100%");
        assertThat(QueryString.decode("%zz%4", Encoding.FORM)).isEqualTo("%zz%4");
    }

    @Test
    void namesWithoutValueEmptyPartsAndRepeatedNames() {
        List<Pair> pairs = QueryString.parse("tagging&&a=1&a=2&b=", Encoding.PERCENT);

        assertThat(pairs).containsExactly(new Pair("tagging", ""), new Pair("a", "1"), new Pair("a", "2"),
                new Pair("b", ""));
        assertThat(QueryString.asMultiMap(pairs)).containsEntry("a", List.of("1", "2")).containsKeys("tagging", "b");
        assertThat(QueryString.parse("", Encoding.FORM)).isEmpty();
        assertThat(QueryString.parse(null, Encoding.FORM)).isEmpty();
    }
}
