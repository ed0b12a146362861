package dev.initbench.localcloud.credentials;

import java.util.Objects;

/**
 * Temporary credentials as AWS issues them to an execution role session: an {@code ASIA…} access key id, its secret
 * and the session token that must accompany every request signed with them ({@code X-Amz-Security-Token}).
 */
public record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    public SessionCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
    }

    @Override
    public String toString() {
        return "SessionCredentials[" + accessKeyId + "]"; // never the secret or token
    }
}
