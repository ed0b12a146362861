package dev.initbench.localcloud.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opaque pagination tokens ({@code NextToken}, {@code nextToken}, S3's {@code continuation-token}) and the paging of
 * a list by them, for every service of the local cloud.
 *
 * <p>A token names the listing it belongs to (e.g. {@code DescribeLogStreams}) and a position in it: an offset, or
 * for key-ordered listings the last key returned. Clients must pass it back unchanged; one that was altered,
 * truncated or issued by another listing is refused with the error the service answers an invalid token with.
 */
public final class PageTokens {

    /** One page of a listing and the token of the next page, absent on the last one. */
    public record Page<T>(List<T> items, Optional<String> nextToken) {
        public Page {
            items = List.copyOf(items);
            Objects.requireNonNull(nextToken, "nextToken");
        }
    }

    private static final char OFFSET = 'o';
    private static final char KEY = 'k';
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Function<String, AwsServiceException> invalidToken;

    /** @param invalidToken the service's error for a token it did not issue, given that token */
    public PageTokens(Function<String, AwsServiceException> invalidToken) {
        this.invalidToken = Objects.requireNonNull(invalidToken, "invalidToken");
    }

    /**
     * The page of at most {@code limit} items that {@code token} starts (the first page without one).
     *
     * @throws AwsServiceException the service's invalid-token error
     */
    public <T> Page<T> page(String listing, List<T> items, Optional<String> token, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        int start = token.map(t -> offset(listing, t, items.size())).orElse(0);
        int end = (int) Math.min(items.size(), (long) start + limit);
        return new Page<>(items.subList(start, end),
                end < items.size() ? Optional.of(offsetToken(listing, end)) : Optional.empty());
    }

    /** The token of the page that starts at {@code offset}. */
    public String offsetToken(String listing, int offset) {
        return encode(listing, OFFSET, Integer.toString(offset));
    }

    /**
     * The offset a token of {@link #offsetToken} names, at most {@code size}.
     *
     * @throws AwsServiceException the service's invalid-token error
     */
    public int offset(String listing, String token, int size) {
        String position = decode(listing, OFFSET, token);
        try {
            int offset = Integer.parseInt(position);
            if (offset >= 0 && offset <= size) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below like any other token this class did not issue
        }
        throw invalidToken.apply(token);
    }

    /** The token of the page that continues after {@code key} in a key-ordered listing. */
    public String keyToken(String listing, String key) {
        return encode(listing, KEY, key);
    }

    /**
     * The key a token of {@link #keyToken} continues after.
     *
     * @throws AwsServiceException the service's invalid-token error
     */
    public String key(String listing, String token) {
        return decode(listing, KEY, token);
    }

    private static String encode(String listing, char kind, String position) {
        return ENCODER.encodeToString((listing + '\n' + kind + position).getBytes(StandardCharsets.UTF_8));
    }

    private String decode(String listing, char kind, String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidToken.apply(token);
        }
        String prefix = listing + '\n' + kind;
        if (!text.startsWith(prefix)) {
            throw invalidToken.apply(token);
        }
        return text.substring(prefix.length());
    }
}
