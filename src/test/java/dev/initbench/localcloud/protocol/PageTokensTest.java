package dev.initbench.localcloud.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PageTokensTest {

    private final PageTokens tokens = new PageTokens(token -> new AwsServiceException("InvalidNextToken", 400,
            "bad token " + token));
    private final List<Integer> items = IntStream.range(0, 7).boxed().toList();

    @Test
    void pagesCoverTheListingOnceInOrderAndTheLastHasNoToken() {
        List<Integer> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            PageTokens.Page<Integer> page = tokens.page("Describe", items, token, 3);
            seen.addAll(page.items());
            token = page.nextToken();
            pages++;
        } while (token.isPresent());

        assertThat(seen).isEqualTo(items);
        assertThat(pages).isEqualTo(3);
        assertThat(tokens.page("Describe", items, Optional.empty(), 7).nextToken()).isEmpty();
        assertThat(tokens.page("Describe", List.of(), Optional.empty(), 7).items()).isEmpty();
    }

    @Test
    void tokensAreOpaqueAndSafeInQueryStringsAndForms() {
        String token = tokens.page("Describe", items, Optional.empty(), 3).nextToken().orElseThrow();

        assertThat(token).doesNotContain("Describe").isNotEqualTo("3").matches("[A-Za-z0-9_-]+");
        assertThat(tokens.keyToken("ListObjectsV2 bucket", "a key/with+ünïcode")).matches("[A-Za-z0-9_-]+");
        assertThat(tokens.key("ListObjectsV2 bucket", tokens.keyToken("ListObjectsV2 bucket", "a key/with+ünïcode")))
                .isEqualTo("a key/with+ünïcode");
    }

    @Test
    void aTokenNotIssuedForThisListingIsTheServicesInvalidTokenError() {
        String describe = tokens.offsetToken("Describe", 3);
        String beyond = tokens.offsetToken("Describe", 8);
        String negative = tokens.offsetToken("Describe", -1);
        String forged = Base64.getUrlEncoder().encodeToString("Describe\nox".getBytes());

        for (String bad : List.of("not base64!", "", describe.substring(1), beyond, negative, forged,
                tokens.keyToken("Describe", "3"))) {
            assertThatThrownBy(() -> tokens.page("Describe", items, Optional.of(bad), 3))
                    .as(bad).isInstanceOfSatisfying(AwsServiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("InvalidNextToken"))
                    .hasMessage("bad token " + bad);
        }
        assertThatThrownBy(() -> tokens.offset("List", describe, items.size()))
                .isInstanceOf(AwsServiceException.class);
        assertThatThrownBy(() -> tokens.key("ListObjectsV2 other", tokens.keyToken("ListObjectsV2 bucket", "k")))
                .isInstanceOf(AwsServiceException.class);
    }
}
