package dev.initbench.localcloud.lambda;

import dev.initbench.json.Json;
import dev.initbench.localcloud.invoke.InvocationResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.RestService;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Lambda's REST-JSON API (botocore model {@code lambda/2015-03-31}) over a {@link LambdaService}: the operations
 * a deployment and a benchmark need. Errors are thrown as {@link AwsServiceException} with the model's status.
 */
final class LambdaControlPlane implements RestService {

    private static final String FUNCTIONS = "/2015-03-31/functions";
    private static final String PROVISIONED = "/2019-09-30/functions";
    private static final String ACCOUNT_SETTINGS = "/2016-08-19/account-settings";
    /** ListFunctions returns at most 50 functions a page, whatever MaxItems asks for. */
    private static final int LIST_PAGE_SIZE = 50;

    private final LambdaService lambda;

    LambdaControlPlane(LambdaService lambda) {
        this.lambda = lambda;
    }

    /**
     * Invoke answers when the function does, with no thread waiting meanwhile; every other operation answers at
     * once through {@link #handle}.
     */
    @Override
    public CompletableFuture<AwsResponse> handleAsync(AwsRequest request) {
        Optional<String> invoked = invokedFunction(request);
        return invoked.isPresent() ? invoke(request, invoked.get(), request.queryParameter("Qualifier"))
                : CompletableFuture.completedFuture(handle(request));
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        String path = request.path();
        String method = request.method();
        Optional<String> qualifier = request.queryParameter("Qualifier");
        if (path.equals(FUNCTIONS) || path.equals(FUNCTIONS + "/")) {
            return switch (method) {
                case "POST" -> json(201, configuration(lambda.createFunction(functionSpec(body(request)))));
                case "GET" -> listFunctions(request);
                default -> throw unsupported(request);
            };
        }
        if (path.startsWith(PROVISIONED + "/") && path.endsWith("/provisioned-concurrency")) {
            String function = path.substring(PROVISIONED.length() + 1, path.length() - "/provisioned-concurrency".length());
            return switch (method) {
                case "PUT" -> json(202, provisioned(lambda.putProvisionedConcurrency(function, qualifier.orElse(null),
                        body(request).path("ProvisionedConcurrentExecutions").asInt(0))));
                case "GET" -> json(200, provisioned(lambda.getProvisionedConcurrency(function, qualifier.orElse(null))));
                case "DELETE" -> {
                    lambda.deleteProvisionedConcurrency(function, qualifier.orElse(null));
                    yield AwsResponse.empty(204);
                }
                default -> throw unsupported(request);
            };
        }
        if ((path.equals(ACCOUNT_SETTINGS) || path.equals(ACCOUNT_SETTINGS + "/")) && method.equals("GET")) {
            return json(200, accountSettings());
        }
        if (!path.startsWith(FUNCTIONS + "/")) {
            throw unsupported(request);
        }
        String[] parts = path.substring(FUNCTIONS.length() + 1).split("/");
        String function = parts[0];
        String operation = method + " " + (parts.length > 1 ? parts[1] : "") + (parts.length > 2 ? "/*" : "");
        return switch (operation) {
            case "GET " -> json(200, functionDocument(lambda.getFunction(function, qualifier)));
            case "GET configuration" -> json(200, configuration(lambda.getFunction(function, qualifier)));
            case "DELETE " -> {
                lambda.deleteFunction(function, qualifier);
                yield AwsResponse.empty(204);
            }
            case "POST versions" -> json(201, configuration(lambda.publishVersion(function,
                    text(body(request), "Description"))));
            case "POST aliases" -> {
                JsonNode input = body(request);
                yield json(201, alias(lambda.createAlias(function, required(input, "Name"),
                        required(input, "FunctionVersion"), text(input, "Description"))));
            }
            case "GET aliases/*" -> json(200, alias(lambda.getAlias(function, parts[2])));
            case "DELETE aliases/*" -> {
                lambda.deleteAlias(function, parts[2]);
                yield AwsResponse.empty(204);
            }
            case "POST policy" -> {
                JsonNode input = body(request);
                String statement = lambda.addPermission(function, qualifier, required(input, "StatementId"),
                        required(input, "Action"), required(input, "Principal"), text(input, "SourceArn"));
                yield json(201, Json.object().put("Statement", statement));
            }
            case "DELETE policy/*" -> {
                lambda.removePermission(function, parts[2]);
                yield AwsResponse.empty(204);
            }
            case "POST invocations" -> awaited(invoke(request, function, qualifier));
            default -> throw unsupported(request);
        };
    }

    /** ListFunctions: {@code $LATEST} of each function by name, at most 50 a page; NextMarker is the last name. */
    private AwsResponse listFunctions(AwsRequest request) {
        int maxItems = request.queryParameter("MaxItems").map(LambdaControlPlane::maxItems).orElse(LIST_PAGE_SIZE);
        List<FunctionVersion> page = lambda.listFunctions(request.queryParameter("Marker"),
                Math.min(maxItems, LIST_PAGE_SIZE) + 1);
        ObjectNode body = Json.object();
        ArrayNode functions = body.putArray("Functions");
        page.stream().limit(Math.min(maxItems, LIST_PAGE_SIZE)).forEach(f -> functions.add(configuration(f)));
        if (page.size() > functions.size()) {
            body.put("NextMarker", page.get(functions.size() - 1).functionName());
        }
        return json(200, body);
    }

    private static int maxItems(String value) {
        try {
            int maxItems = Integer.parseInt(value);
            if (maxItems >= 1 && maxItems <= 10_000) {
                return maxItems;
            }
        } catch (NumberFormatException e) {
            // Reported below like any other out-of-range value.
        }
        throw LambdaErrors.invalid("1 validation error detected: Value '" + value + "' at 'maxItems' failed to "
                + "satisfy constraint: Member must have value between 1 and 10000");
    }

    /** The function named by {@code POST /2015-03-31/functions/<name>/invocations} (Invoke); empty for others. */
    private static Optional<String> invokedFunction(AwsRequest request) {
        String path = request.path();
        if (!request.method().equals("POST") || !path.startsWith(FUNCTIONS + "/")) {
            return Optional.empty();
        }
        String[] parts = path.substring(FUNCTIONS.length() + 1).split("/");
        return parts.length == 2 && parts[1].equals("invocations") ? Optional.of(parts[0]) : Optional.empty();
    }

    /**
     * Invoke: RequestResponse completes when the function answers; a throttle or an unknown function is thrown at
     * once, a failure of the invocation itself completes the future exceptionally.
     */
    private CompletableFuture<AwsResponse> invoke(AwsRequest request, String function, Optional<String> qualifier) {
        String type = request.header("X-Amz-Invocation-Type").orElse("RequestResponse");
        switch (type) {
            case "DryRun" -> {
                lambda.getFunction(function, qualifier);
                return CompletableFuture.completedFuture(AwsResponse.empty(204));
            }
            case "Event" -> {
                lambda.getFunction(function, qualifier);
                Thread event = new Thread(() -> lambda.invoke(function, qualifier, request.body()), "lambda-event-invoke");
                event.setDaemon(true);
                event.start();
                return CompletableFuture.completedFuture(AwsResponse.empty(202));
            }
            case "RequestResponse" -> {
                return lambda.invokeAsync(function, qualifier, request.body()).thenApply(LambdaControlPlane::invoked);
            }
            default -> throw LambdaErrors.invalid("X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, "
                    + "was " + type);
        }
    }

    private static AwsResponse invoked(InvocationResult result) {
        AwsResponse response = AwsResponse.of(200, "application/json", result.payload())
                .withHeader("X-Amz-Executed-Version", result.executedVersion());
        return result.functionError().map(error -> response.withHeader("X-Amz-Function-Error", error))
                .orElse(response);
    }

    /** For {@link #handle}'s callers, which take the answer on their own thread. */
    private static AwsResponse awaited(CompletableFuture<AwsResponse> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static LambdaService.FunctionSpec functionSpec(JsonNode input) {
        JsonNode code = input.path("Code");
        LambdaService.Code packageCode = code.hasNonNull("ZipFile")
                ? LambdaService.Code.zip(Base64.getDecoder().decode(code.get("ZipFile").asText()))
                : new LambdaService.Code(text(code, "S3Bucket"), text(code, "S3Key"), Optional.empty());
        Map<String, String> variables = new LinkedHashMap<>();
        input.path("Environment").path("Variables").fields()
                .forEachRemaining(entry -> variables.put(entry.getKey(), entry.getValue().asText()));
        String packageType = input.path("PackageType").asText("Zip");
        if (!packageType.equals("Zip")) {
            throw LambdaErrors.invalid("PackageType " + packageType + " is not supported by the local cloud: use Zip");
        }
        return new LambdaService.FunctionSpec(required(input, "FunctionName"), text(input, "Runtime").orElse(null),
                text(input, "Handler").orElse(null), input.hasNonNull("MemorySize") ? input.get("MemorySize").asInt() : null,
                input.hasNonNull("Timeout") ? input.get("Timeout").asInt() : null, required(input, "Role"),
                text(input, "Description").orElse(""), variables, packageCode);
    }

    /** FunctionConfiguration as Lambda returns it. */
    static ObjectNode configuration(FunctionVersion function) {
        ObjectNode node = Json.object()
                .put("FunctionName", function.functionName())
                .put("FunctionArn", function.version().equals(FunctionVersion.LATEST) ? function.functionArn()
                        : function.versionArn())
                .put("Runtime", function.runtime())
                .put("Role", function.role())
                .put("Handler", function.handler())
                .put("CodeSize", function.codeSize())
                .put("Description", function.description())
                .put("Timeout", function.timeoutSeconds())
                .put("MemorySize", function.memorySizeMb())
                .put("LastModified", function.lastModified())
                .put("CodeSha256", function.codeSha256())
                .put("Version", function.version())
                .put("RevisionId", function.revisionId())
                .put("State", "Active")
                .put("LastUpdateStatus", "Successful")
                .put("PackageType", "Zip");
        if (!function.variables().isEmpty()) {
            ObjectNode variables = node.putObject("Environment").putObject("Variables");
            function.variables().forEach(variables::put);
        }
        node.putObject("TracingConfig").put("Mode", "PassThrough");
        node.putArray("Architectures").add("x86_64");
        node.putObject("EphemeralStorage").put("Size", 512);
        node.putObject("SnapStart").put("ApplyOn", "None").put("OptimizationStatus", "Off");
        node.putObject("LoggingConfig").put("LogFormat", "Text")
                .put("LogGroup", "/aws/lambda/" + function.functionName());
        return node;
    }

    private ObjectNode functionDocument(FunctionVersion function) {
        ObjectNode document = Json.object();
        document.set("Configuration", configuration(function));
        document.putObject("Code").put("RepositoryType", "S3")
                .put("Location", "file://" + function.codeDirectory());
        return document;
    }

    private static ObjectNode alias(LambdaService.Alias alias) {
        return Json.object()
                .put("AliasArn", alias.aliasArn())
                .put("Name", alias.name())
                .put("FunctionVersion", alias.functionVersion())
                .put("Description", alias.description())
                .put("RevisionId", alias.revisionId());
    }

    private static ObjectNode provisioned(LambdaService.ProvisionedConcurrencyStatus status) {
        ObjectNode node = Json.object()
                .put("RequestedProvisionedConcurrentExecutions", status.requested())
                .put("AvailableProvisionedConcurrentExecutions", status.available())
                .put("AllocatedProvisionedConcurrentExecutions", status.allocated())
                .put("Status", status.status().name());
        status.statusReason().ifPresent(reason -> node.put("StatusReason", reason));
        return node.put("LastModified", status.lastModified());
    }

    private static JsonNode body(AwsRequest request) {
        if (request.body().length == 0) {
            return Json.object();
        }
        try {
            return Json.READER.readTree(request.body());
        } catch (IOException e) {
            throw new AwsServiceException("InvalidRequestContentException", 400,
                    "Could not parse request body into json: " + e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    private static String required(JsonNode node, String field) {
        return text(node, field).orElseThrow(() -> LambdaErrors.invalid("1 validation error detected: Value null at '"
                + field + "' failed to satisfy constraint: Member must not be null"));
    }

    /**
     * GetAccountSettings: the local concurrency limit ({@link LambdaSettings#concurrencyLimit()}) as the account's;
     * no reserved concurrency exists locally, so all of it is unreserved. Code-size limits are AWS's defaults.
     */
    private ObjectNode accountSettings() {
        List<FunctionVersion> functions = lambda.listFunctions(Optional.empty(), Integer.MAX_VALUE);
        ObjectNode body = Json.object();
        body.putObject("AccountLimit")
                .put("TotalCodeSize", 80_530_636_800L)
                .put("CodeSizeUnzipped", 262_144_000L)
                .put("CodeSizeZipped", 52_428_800L)
                .put("ConcurrentExecutions", lambda.settings().concurrencyLimit())
                .put("UnreservedConcurrentExecutions", lambda.settings().concurrencyLimit());
        body.putObject("AccountUsage")
                .put("TotalCodeSize", functions.stream().mapToLong(FunctionVersion::codeSize).sum())
                .put("FunctionCount", functions.size());
        return body;
    }

    private static AwsResponse json(int status, JsonNode body) {
        return AwsResponse.json(status, body.toString());
    }

    static String toJson(Object value) {
        try {
            return Json.WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NotEmulatedException unsupported(AwsRequest request) {
        return new NotEmulatedException("Lambda operation " + request.method() + " " + request.path()
                + " is not emulated by the local cloud");
    }
}
