package dev.initbench.localcloud.sts;

import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.iam.CallerIdentity;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.QueryParameters;
import dev.initbench.localcloud.protocol.QueryService;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in STS over awsQuery (botocore model {@code sts/2011-06-15}): GetCallerIdentity, AssumeRole and
 * AssumeRoleWithWebIdentity, so that every kind of credential profile the SDK resolves through STS works against
 * the local cloud. The endpoint accepts one access key, so assumed sessions get that key and secret with a session
 * token of their own, by which GetCallerIdentity tells the session's assumed-role ARN. Roles must exist in IAM;
 * trust policies are not evaluated.
 */
public final class StsService implements QueryService {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/(?:.*/)?([\\w+=,.@-]{1,64})");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final CloudContext context;
    private final CallerIdentity caller;
    private final Predicate<String> roleExists;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(String assumedRoleArn, String assumedRoleId) {
    }

    /**
     * @param roleExists whether IAM has a role of that name
     */
    public StsService(CloudContext context, CallerIdentity caller, Predicate<String> roleExists) {
        this.context = context;
        this.caller = caller;
        this.roleExists = roleExists;
    }

    @Override
    public String xmlNamespace() {
        return "https://sts.amazonaws.com/doc/2011-06-15/";
    }

    @Override
    public Map<String, Object> handle(String action, QueryParameters parameters) {
        return handle(action, parameters, Optional.empty());
    }

    @Override
    public Map<String, Object> handle(String action, QueryParameters parameters, AwsRequest request) {
        return handle(action, parameters, request.header("x-amz-security-token"));
    }

    private Map<String, Object> handle(String action, QueryParameters parameters, Optional<String> sessionToken) {
        return switch (action) {
            case "GetCallerIdentity" -> callerIdentity(sessionToken);
            case "AssumeRole" -> assume(parameters, "AssumeRole");
            case "AssumeRoleWithWebIdentity" -> {
                if (parameters.required("WebIdentityToken").isBlank()) {
                    throw new AwsServiceException("InvalidIdentityToken", 400, "The web identity token is empty.");
                }
                yield assume(parameters, "AssumeRoleWithWebIdentity");
            }
            default -> throw new NotEmulatedException("STS action " + action + " is not emulated by the local cloud");
        };
    }

    private Map<String, Object> callerIdentity(Optional<String> sessionToken) {
        Optional<Session> session = sessionToken.map(sessions::get);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("UserId", session.map(Session::assumedRoleId).orElse(caller.userId()));
        result.put("Account", context.accountId());
        result.put("Arn", session.map(Session::assumedRoleArn).orElse(caller.arn()));
        return result;
    }

    private Map<String, Object> assume(QueryParameters parameters, String action) {
        String roleArn = parameters.required("RoleArn");
        String sessionName = parameters.required("RoleSessionName");
        Matcher arn = ROLE_ARN.matcher(roleArn);
        if (!arn.matches()) {
            throw new AwsServiceException("ValidationError", 400, "1 validation error detected: Value '" + roleArn
                    + "' at 'roleArn' is not a role ARN (arn:aws:iam::<account>:role/<name>).");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new AwsServiceException("ValidationError", 400, "1 validation error detected: Value '"
                    + sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy "
                    + "regular expression pattern: [\\w+=,.@-]* and have length 2-64");
        }
        if (!arn.group(1).equals(context.accountId()) || !roleExists.test(arn.group(2))) {
            throw new AwsServiceException("AccessDenied", 403, "User: " + caller.arn() + " is not authorized to "
                    + "perform: sts:" + action + " on resource: " + roleArn + " (no such role in the local cloud)");
        }
        int seconds = parameters.get("DurationSeconds").map(Integer::parseInt).orElse(3600);
        String roleId = "AROA" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
        String assumedArn = "arn:aws:sts::" + context.accountId() + ":assumed-role/" + arn.group(2) + "/" + sessionName;
        String token = "initbench-session-" + UUID.randomUUID();
        sessions.put(token, new Session(assumedArn, roleId + ":" + sessionName));

        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("AccessKeyId", context.accessKeyId());
        credentials.put("SecretAccessKey", context.secretAccessKey());
        credentials.put("SessionToken", token);
        credentials.put("Expiration", Instant.now().plus(Duration.ofSeconds(seconds)).truncatedTo(ChronoUnit.SECONDS));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("AssumedRoleId", roleId + ":" + sessionName);
        user.put("Arn", assumedArn);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Credentials", credentials);
        if ("AssumeRoleWithWebIdentity".equals(action)) {
            result.put("SubjectFromWebIdentityToken", "local-web-identity");
        }
        result.put("AssumedRoleUser", user);
        result.put("PackedPolicySize", 0);
        return result;
    }
}
