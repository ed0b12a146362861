package dev.initbench.localcloud.credentials;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials one local cloud accepts: its own long-term key ({@code AKIA…}, no session token) and the temporary
 * session keys it issued, each with its {@link CallerSession}. An execution environment gets its own session (as
 * Lambda gives each execution role session its own keys); an STS stand-in registers the keys AssumeRole hands out the
 * same way ({@link #register}). A revoked or never-issued key is unknown: the endpoint then answers AWS's
 * unrecognized-client error. Thread-safe.
 */
public final class CredentialRegistry {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /** What a key id resolves to: its secret, and the session token required with it (none for the cloud's key). */
    public record Known(String secretAccessKey, Optional<CallerSession> session) {
    }

    private final String accessKeyId;
    private final String secretAccessKey;
    private final Map<String, CallerSession> sessions = new ConcurrentHashMap<>();

    /** Accepts the cloud's own key and, once issued, session keys. */
    public CredentialRegistry(String accessKeyId, String secretAccessKey) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    /** The cloud's own access key id. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** The key, if it is the cloud's own or a session key that has not been revoked. */
    public Optional<Known> find(String keyId) {
        if (accessKeyId.equals(keyId)) {
            return Optional.of(new Known(secretAccessKey, Optional.empty()));
        }
        CallerSession session = sessions.get(keyId);
        return session == null ? Optional.empty()
                : Optional.of(new Known(session.credentials().secretAccessKey(), Optional.of(session)));
    }

    /** The session of a live session key, if {@code keyId} is one. */
    public Optional<CallerSession> session(String keyId) {
        return Optional.ofNullable(sessions.get(keyId));
    }

    /** Issues fresh temporary credentials ({@code ASIA} + 16 characters, 40-character secret, a token). */
    public CallerSession issueSession() {
        return register(new SessionCredentials("ASIA" + random(KEY_ALPHABET, 16), random(SECRET_ALPHABET, 40),
                "IQoJb3JpZ2luX2VjE" + random(SECRET_ALPHABET, 300)));
    }

    /**
     * Accepts {@code credentials} until the returned session is closed.
     *
     * @throws IllegalArgumentException when the key id is the cloud's own or already registered
     */
    public CallerSession register(SessionCredentials credentials) {
        if (accessKeyId.equals(credentials.accessKeyId())) {
            throw new IllegalArgumentException("session key " + credentials.accessKeyId()
                    + " is the cloud's own access key id");
        }
        CallerSession session = new CallerSession(credentials, this::revoked);
        if (sessions.putIfAbsent(credentials.accessKeyId(), session) != null) {
            throw new IllegalArgumentException("session key " + credentials.accessKeyId() + " is already registered");
        }
        return session;
    }

    private void revoked(CallerSession session) {
        sessions.remove(session.credentials().accessKeyId(), session);
    }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
