package dev.initbench.localcloud.server;

import dev.initbench.localcloud.protocol.AwsJsonBinding;
import dev.initbench.localcloud.protocol.AwsQueryBinding;
import dev.initbench.localcloud.protocol.JsonService;
import dev.initbench.localcloud.protocol.ProtocolBinding;
import dev.initbench.localcloud.protocol.QueryService;
import dev.initbench.localcloud.protocol.RestJsonBinding;
import dev.initbench.localcloud.protocol.RestService;
import dev.initbench.localcloud.protocol.RestXmlBinding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The services behind the endpoint, each under the SigV4 signing name its clients put in the credential scope
 * ({@code cloudformation}, {@code iam}, {@code ssm}, {@code logs}, {@code s3}, {@code lambda}), with its protocol.
 * Thread-safe once the endpoint serves: registration happens before.
 */
public final class ServiceRegistry {

    private final Map<String, ProtocolBinding> bySigningName = new LinkedHashMap<>();
    private final Map<String, String> signingNameByTargetPrefix = new LinkedHashMap<>();
    /** awsQuery actions AWS serves without a signature (STS AssumeRoleWithWebIdentity), by action. */
    private final Map<String, String> signingNameByUnsignedAction = new LinkedHashMap<>();

    /** An awsQuery service (CloudFormation, IAM). */
    public ServiceRegistry query(String signingName, QueryService service) {
        return add(signingName, new AwsQueryBinding(service));
    }

    /** An awsJson 1.0/1.1 service (SSM, CloudWatch Logs). */
    public ServiceRegistry json(String signingName, JsonService service) {
        signingNameByTargetPrefix.put(service.targetPrefix(), signingName);
        return add(signingName, new AwsJsonBinding(service));
    }

    /** A restXml service (S3). */
    public ServiceRegistry restXml(String signingName, RestService service) {
        return add(signingName, new RestXmlBinding(service));
    }

    /** A restJson1 service (Lambda). */
    public ServiceRegistry restJson(String signingName, RestService service) {
        return add(signingName, new RestJsonBinding(service));
    }

    /**
     * Actions of an already registered awsQuery service that its model marks as needing no authentication
     * ({@code smithy.api#noAuth}), so that the SDK sends them unsigned.
     */
    public ServiceRegistry unsignedQueryActions(String signingName, Set<String> actions) {
        if (!(bySigningName.get(signingName) instanceof AwsQueryBinding)) {
            throw new IllegalStateException("no awsQuery service is registered under '" + signingName + "'");
        }
        actions.forEach(action -> signingNameByUnsignedAction.put(action, signingName));
        return this;
    }

    /** The signing name of the service an unsigned awsQuery request of such an action is for. */
    Optional<String> unsignedAction(RawRequest request) {
        if (!request.header("content-type").map(t -> t.startsWith("application/x-www-form-urlencoded")).orElse(false)) {
            return Optional.empty();
        }
        return dev.initbench.localcloud.protocol.QueryString.parse(
                        new String(request.body(), java.nio.charset.StandardCharsets.UTF_8),
                        dev.initbench.localcloud.protocol.QueryString.Encoding.FORM).stream()
                .filter(p -> p.name().equals("Action")).findFirst()
                .map(p -> signingNameByUnsignedAction.get(p.value()));
    }

    private ServiceRegistry add(String signingName, ProtocolBinding binding) {
        if (bySigningName.putIfAbsent(signingName, binding) != null) {
            throw new IllegalStateException("a service is already registered under signing name '" + signingName
                    + "'");
        }
        return this;
    }

    Set<String> signingNames() {
        return bySigningName.keySet();
    }

    Optional<ProtocolBinding> bySigningName(String signingName) {
        return Optional.ofNullable(bySigningName.get(signingName));
    }

    /**
     * The service an unsigned request most likely meant, so that its refusal comes in the right shape:
     * by {@code X-Amz-Target} prefix, else a form body with {@code Action=} goes to an awsQuery service, else S3.
     */
    Optional<ProtocolBinding> guess(RawRequest request) {
        Optional<String> target = request.header("x-amz-target");
        if (target.isPresent()) {
            String prefix = target.get().contains(".") ? target.get().substring(0, target.get().lastIndexOf('.'))
                    : target.get();
            return Optional.ofNullable(signingNameByTargetPrefix.get(prefix)).flatMap(this::bySigningName);
        }
        if (request.header("content-type").map(t -> t.startsWith("application/x-www-form-urlencoded"))
                .orElse(false)) {
            return bySigningName.values().stream().filter(AwsQueryBinding.class::isInstance).findFirst();
        }
        return bySigningName("s3");
    }
}
