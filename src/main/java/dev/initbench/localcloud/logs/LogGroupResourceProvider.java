package dev.initbench.localcloud.logs;

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

/**
 * {@code AWS::Logs::LogGroup}: Ref is the group name; GetAtt {@code Arn} is the group ARN with its {@code :*}
 * suffix, as CloudFormation returns it. Without {@code LogGroupName} the name is generated.
 */
final class LogGroupResourceProvider extends AbstractResourceProvider {

    private final LogsService service;

    LogGroupResourceProvider(LogsService service) {
        super("AWS::Logs::LogGroup", Set.of(), Set.of("Arn"));
        this.service = service;
    }

    @Override
    public ProvisionedResource create(ResourceRequest request) {
        String name = request.stringProperty("LogGroupName").orElseGet(() -> request.generatedName(512));
        try {
            service.createGroup(name, new JsonInput(JsonNodeFactory.instance.objectNode(),
                    "InvalidParameterException"));
        } catch (AwsServiceException e) {
            throw ResourceFailedException.handlerReturned("CloudWatchLogs", e);
        }
        request.stringProperty("RetentionInDays").ifPresent(days -> {
            try {
                service.setRetention(name, Integer.parseInt(days));
            } catch (NumberFormatException e) {
                service.deleteGroup(name);
                throw new ResourceFailedException("Property RetentionInDays of " + request.logicalId()
                        + " must be a number of days, got '" + days + "'.", e);
            }
        });
        return new ProvisionedResource(resourceType(), request.logicalId(), name, name,
                Map.of("Arn", service.groupArn(name) + ":*"));
    }

    /** Only {@code LogGroupName} replaces the group; {@code RetentionInDays} is put or removed in place. */
    @Override
    public Optional<Set<String>> createOnlyProperties() {
        return Optional.of(Set.of("LogGroupName"));
    }

    @Override
    public ProvisionedResource update(ResourceUpdate update) {
        String name = update.current().physicalId();
        Optional<String> days = update.request().stringProperty("RetentionInDays");
        try {
            days.ifPresentOrElse(value -> service.setRetention(name, Integer.parseInt(value)),
                    () -> service.clearRetention(name));
        } catch (NumberFormatException e) {
            throw new ResourceFailedException("Property RetentionInDays of " + update.request().logicalId()
                    + " must be a number of days, got '" + days.orElseThrow() + "'.", e);
        }
        return update.current();
    }

    @Override
    public void delete(ProvisionedResource resource) {
        service.deleteGroup(resource.physicalId());
    }
}
