package dev.initbench.localcloud.iam;

import java.util.Objects;
import java.util.Optional;

/**
 * Who signs with the local cloud's access key: the account root (the default: every action allowed, as for a
 * root user), or an IAM user whose one inline policy is given, so that the policy simulator, and through it a
 * preflight, can be refused.
 *
 * @param arn            the principal's ARN
 * @param userId         its unique id (GetCallerIdentity's UserId)
 * @param policyDocument the user's inline policy; empty for the account root
 */
public record CallerIdentity(String arn, String userId, Optional<String> policyDocument) {

    /** Name of the local IAM user that holds a configured caller policy. */
    public static final String LOCAL_USER = "initbench-local-caller";

    public CallerIdentity {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(policyDocument, "policyDocument");
    }

    public static CallerIdentity root(String accountId) {
        return new CallerIdentity("arn:aws:iam::" + accountId + ":root", accountId, Optional.empty());
    }

    public static CallerIdentity user(String accountId, String policyDocument) {
        return new CallerIdentity("arn:aws:iam::" + accountId + ":user/" + LOCAL_USER, "AIDAINITBENCHLOCALUSER",
                Optional.of(policyDocument));
    }

    public boolean isRoot() {
        return policyDocument.isEmpty();
    }
}
