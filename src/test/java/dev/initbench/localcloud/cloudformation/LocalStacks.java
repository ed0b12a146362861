package dev.initbench.localcloud.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.QueryParameters;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A CloudFormationService over fake providers, called the way the awsQuery layer calls it. */
final class LocalStacks implements AutoCloseable {

    static final CloudContext CONTEXT = new CloudContext(URI.create("http://127.0.0.1:4566"), "eu-west-1",
            "123456789012", "test", "test");

    final FakeResourceProvider.Journal journal = new FakeResourceProvider.Journal();
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final Map<String, FakeResourceProvider> providers = new LinkedHashMap<>();
    final CloudFormationService service;

    /** With one default fake provider per type. */
    LocalStacks(Optional<Path> dataDirectory, String... types) {
        this(dataDirectory, journal -> java.util.Arrays.stream(types)
                .map(type -> new FakeResourceProvider(type, journal)).toList());
    }

    LocalStacks(Optional<Path> dataDirectory,
                java.util.function.Function<FakeResourceProvider.Journal, List<FakeResourceProvider>> providerFactory) {
        providerFactory.apply(journal).forEach(provider -> providers.put(provider.resourceType(), provider));
        service = new CloudFormationService(CONTEXT, List.copyOf(providers.values()), (bucket, key) -> {
            byte[] object = objects.get(bucket + "/" + key);
            if (object == null) {
                throw new AwsServiceException("NoSuchKey", 404, "The specified key does not exist.");
            }
            return object;
        }, dataDirectory);
    }

    FakeResourceProvider provider(String type) {
        return providers.get(type);
    }

    /** The physical ids of every resource still alive in any provider. */
    List<String> liveResources() {
        return providers.values().stream().flatMap(provider -> provider.live.keySet().stream()).sorted().toList();
    }

    void putObject(String bucket, String key, String text) {
        objects.put(bucket + "/" + key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls an action with alternating name/value form parameters. */
    Map<String, Object> call(String action, String... nameValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], nameValues[i + 1]);
        }
        return service.handle(action, new QueryParameters(parameters));
    }

    String create(String stackName, String templateBody, String... extra) {
        String[] parameters = new String[extra.length + 4];
        parameters[0] = "StackName";
        parameters[1] = stackName;
        parameters[2] = "TemplateBody";
        parameters[3] = templateBody;
        System.arraycopy(extra, 0, parameters, 4, extra.length);
        return (String) call("CreateStack", parameters).get("StackId");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> describe(String stackNameOrId) {
        List<Map<String, Object>> stacks = (List<Map<String, Object>>) call("DescribeStacks", "StackName",
                stackNameOrId).get("Stacks");
        assertThat(stacks).hasSize(1);
        return stacks.get(0);
    }

    String status(String stackNameOrId) {
        return (String) describe(stackNameOrId).get("StackStatus");
    }

    /** Polls (bounded: 10 s) until the stack leaves every *_IN_PROGRESS status; returns the final status. */
    String awaitSettled(String stackId) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String status = status(stackId);
            if (!status.endsWith("_IN_PROGRESS")) {
                return status;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("stack " + stackId + " still " + status(stackId) + " after 10 s");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events(String stackId) {
        return (List<Map<String, Object>>) call("DescribeStackEvents", "StackName", stackId).get("StackEvents");
    }

    /** "LogicalId STATUS" per event, oldest first. */
    List<String> eventTrail(String stackId) {
        List<String> trail = new java.util.ArrayList<>(events(stackId).stream()
                .map(event -> event.get("LogicalResourceId") + " " + event.get("ResourceStatus")).toList());
        java.util.Collections.reverse(trail);
        return trail;
    }

    @SuppressWarnings("unchecked")
    Map<String, String> outputs(String stackId) {
        Map<String, String> outputs = new LinkedHashMap<>();
        ((List<Map<String, Object>>) describe(stackId).get("Outputs")).forEach(output ->
                outputs.put((String) output.get("OutputKey"), (String) output.get("OutputValue")));
        return outputs;
    }

    @Override
    public void close() {
        service.close();
    }
}
