package dev.initbench.localcloud.ssm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.initbench.localcloud.resource.AbstractResourceProvider;
import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceFailedException;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.ResourceUpdate;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.JsonInput;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code AWS::SSM::Parameter}: Ref is the parameter name; GetAtt {@code Type} and {@code Value}. Without a
 * {@code Name}, CloudFormation names it {@code CFN-<logical id>-<random>}. CloudFormation cannot create
 * {@code SecureString} parameters, so neither can the local cloud.
 */
final class SsmParameterResourceProvider extends AbstractResourceProvider {

    private static final String RANDOM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SsmService service;

    SsmParameterResourceProvider(SsmService service) {
        super("AWS::SSM::Parameter", Set.of("Type", "Value"), Set.of("Type", "Value"));
        this.service = service;
    }

    @Override
    public ProvisionedResource create(ResourceRequest request) {
        return put(request, request.stringProperty("Name").orElseGet(() -> generatedName(request.logicalId())),
                false);
    }

    /** Only {@code Name} replaces the parameter; Type, Value, Description and DataType are overwritten. */
    @Override
    public Optional<Set<String>> createOnlyProperties() {
        return Optional.of(Set.of("Name"));
    }

    /** PutParameter with Overwrite, as CloudFormation updates a parameter: a new version of the same name. */
    @Override
    public ProvisionedResource update(ResourceUpdate update) {
        return put(update.request(), update.current().physicalId(), true);
    }

    private ProvisionedResource put(ResourceRequest request, String name, boolean overwrite) {
        String type = request.stringProperty("Type").orElseThrow();
        if (!Set.of("String", "StringList").contains(type)) {
            throw new ResourceFailedException("Property Type of " + request.logicalId() + " must be String or "
                    + "StringList, got '" + type + "' (CloudFormation cannot create SecureString parameters).");
        }
        Object rawValue = request.property("Value").orElseThrow();
        String value = rawValue instanceof java.util.List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(rawValue);
        try {
            service.put(name, type, value, overwrite, request.stringProperty("Description").orElse(null),
                    request.stringProperty("DataType").orElse("text"), null, false,
                    new JsonInput(JsonNodeFactory.instance.objectNode(), "ValidationException"));
        } catch (AwsServiceException e) {
            throw new ResourceFailedException(e.getMessage() + " (Service: Ssm, Status Code: " + e.httpStatus()
                    + ", Error Code: " + e.errorCode() + ")", e);
        }
        return new ProvisionedResource(resourceType(), request.logicalId(), name, name,
                Map.of("Type", type, "Value", value));
    }

    @Override
    public void delete(ProvisionedResource resource) {
        service.store().delete(resource.physicalId());
    }

    private static String generatedName(String logicalId) {
        StringBuilder suffix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            suffix.append(RANDOM_CHARS.charAt(ThreadLocalRandom.current().nextInt(RANDOM_CHARS.length())));
        }
        return "CFN-" + logicalId + "-" + suffix;
    }
}
