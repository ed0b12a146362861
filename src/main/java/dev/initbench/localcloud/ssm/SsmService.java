package dev.initbench.localcloud.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.initbench.json.Json;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.PageTokens;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.JsonInput;
import dev.initbench.localcloud.protocol.JsonService;
import dev.initbench.localcloud.ssm.ParameterStore.ParameterVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SSM Parameter Store over awsJson 1.1 ({@code X-Amz-Target: AmazonSSM.*}): GetParameter, GetParameters,
 * GetParametersByPath, GetParameterHistory, PutParameter, DeleteParameter, DeleteParameters.
 */
public final class SsmService implements JsonService {

    static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.\\-/]+");
    private static final String DEFAULT_KEY_ID = "alias/aws/ssm";
    private static final int MAX_BY_PATH_RESULTS = 10;
    private static final int MAX_HISTORY_RESULTS = 50;

    private static final PageTokens PAGE_TOKENS = new PageTokens(token -> new AwsServiceException("InvalidNextToken",
            400, "The NextToken '" + token + "' is not valid: pass the NextToken of the previous response unchanged."));

    private final CloudContext context;
    private final ParameterStore store;

    public SsmService(CloudContext context, ParameterStore store) {
        this.context = context;
        this.store = store;
    }

    @Override
    public String targetPrefix() {
        return "AmazonSSM";
    }

    /** The CloudFormation resource types this service provides: {@code AWS::SSM::Parameter}. */
    public List<ResourceProvider> resourceProviders() {
        return List.of(new SsmParameterResourceProvider(this));
    }

    @Override
    public JsonNode handle(String operation, JsonNode input) {
        JsonInput in = new JsonInput(input, "ValidationException");
        return switch (operation) {
            case "GetParameter" -> getParameter(in);
            case "GetParameters" -> getParameters(in);
            case "GetParametersByPath" -> getParametersByPath(in);
            case "GetParameterHistory" -> getParameterHistory(in);
            case "PutParameter" -> putParameter(in);
            case "DeleteParameter" -> deleteParameter(in);
            case "DeleteParameters" -> deleteParameters(in);
            default -> throw new NotEmulatedException("Operation " + operation + " is not emulated by the local cloud");
        };
    }

    private JsonNode getParameter(JsonInput in) {
        String requested = in.required("Name");
        ObjectNode out = Json.object();
        out.set("Parameter", render(select(requested), in.flag("WithDecryption"), selectorOf(requested)));
        return out;
    }

    private JsonNode getParameters(JsonInput in) {
        List<String> names = in.strings("Names");
        if (names.isEmpty() || names.size() > 10) {
            throw in.invalid("1 validation error detected: Value at 'names' failed to satisfy constraint: Member "
                    + "must have length less than or equal to 10 and greater than or equal to 1 (got "
                    + names.size() + ")");
        }
        ObjectNode out = Json.object();
        ArrayNode found = out.putArray("Parameters");
        ArrayNode invalid = out.putArray("InvalidParameters");
        for (String requested : names) {
            try {
                found.add(render(select(requested), in.flag("WithDecryption"), selectorOf(requested)));
            } catch (AwsServiceException e) {
                if (!e.errorCode().startsWith("Parameter")) {
                    throw e;
                }
                invalid.add(requested);
            }
        }
        return out;
    }

    private JsonNode getParametersByPath(JsonInput in) {
        String path = in.required("Path");
        if (!path.startsWith("/")) {
            throw in.invalid("The parameter path " + path + " is not valid: a path must begin with a forward slash "
                    + "(/), e.g. /my-app/");
        }
        if (in.node().has("ParameterFilters")) {
            throw in.invalid("ParameterFilters are not emulated by the local cloud; filter on the client side.");
        }
        int maxResults = maxResults(in, MAX_BY_PATH_RESULTS);
        String prefix = path.endsWith("/") ? path : path + "/";
        boolean recursive = in.flag("Recursive");
        List<ParameterVersion> matching = store.all().stream()
                .filter(p -> p.name().startsWith(prefix) || ("/".equals(prefix) && !p.name().startsWith("/")))
                .filter(p -> recursive || !p.name().substring(p.name().startsWith(prefix) ? prefix.length() : 0)
                        .contains("/"))
                .toList();
        return page("GetParametersByPath", in, matching, maxResults,
                p -> render(p, in.flag("WithDecryption"), Optional.empty()));
    }

    private JsonNode getParameterHistory(JsonInput in) {
        String name = in.required("Name");
        List<ParameterVersion> history = store.history(name);
        if (history.isEmpty()) {
            throw notFound(name);
        }
        return page("GetParameterHistory", in, history, maxResults(in, MAX_HISTORY_RESULTS), p -> {
            ObjectNode node = render(p, in.flag("WithDecryption"), Optional.empty());
            node.remove("ARN");
            if (p.description() != null) {
                node.put("Description", p.description());
            }
            if ("SecureString".equals(p.type())) {
                node.put("KeyId", p.keyId());
            }
            node.put("Tier", "Standard");
            node.putArray("Labels");
            node.putArray("Policies");
            return node;
        });
    }

    private static int maxResults(JsonInput in, int limit) {
        long max = in.number("MaxResults").orElse(limit);
        if (max < 1 || max > limit) {
            throw in.invalid("1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy "
                    + "constraint: Member must have value less than or equal to " + limit
                    + " and greater than or equal to 1");
        }
        return (int) max;
    }

    /** One page of {@code items} of the listing {@code operation}, with the NextToken of the next one. */
    private JsonNode page(String operation, JsonInput in, List<ParameterVersion> items, int maxResults,
                          java.util.function.Function<ParameterVersion, ObjectNode> render) {
        PageTokens.Page<ParameterVersion> page = PAGE_TOKENS.page(operation, items, in.text("NextToken"), maxResults);
        ObjectNode out = Json.object();
        ArrayNode parameters = out.putArray("Parameters");
        page.items().forEach(item -> parameters.add(render.apply(item)));
        page.nextToken().ifPresent(token -> out.put("NextToken", token));
        return out;
    }

    private JsonNode putParameter(JsonInput in) {
        String name = in.required("Name");
        String value = in.required("Value");
        ParameterVersion stored = put(name, in.text("Type").orElse(null), value, in.flag("Overwrite"),
                in.text("Description").orElse(null), in.text("DataType").orElse("text"),
                in.text("KeyId").orElse(DEFAULT_KEY_ID), in.node().has("Tags"), in);
        ObjectNode out = Json.object();
        out.put("Version", stored.version());
        out.put("Tier", "Standard");
        return out;
    }

    /** PutParameter's rules, shared with the CloudFormation resource provider. */
    ParameterVersion put(String name, String type, String value, boolean overwrite, String description,
                         String dataType, String keyId, boolean hasTags, JsonInput in) {
        validateName(name, in);
        if (value.isEmpty() || value.length() > 4096) {
            throw in.invalid("1 validation error detected: Value at 'value' failed to satisfy constraint: Member "
                    + "must have length less than or equal to 4096 and greater than or equal to 1 (got "
                    + value.length() + ")");
        }
        Optional<ParameterVersion> existing = store.latest(name);
        String effectiveType = type != null ? type : existing.map(ParameterVersion::type).orElseThrow(() ->
                in.invalid("A parameter type is required when you create a parameter: set Type to String, "
                        + "StringList or SecureString for " + name + "."));
        if (!TYPES.contains(effectiveType)) {
            throw in.invalid("1 validation error detected: Value '" + effectiveType + "' at 'type' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        }
        if (!dataType.equals("text") && !dataType.equals("aws:ec2:image") && !dataType.equals("aws:ssm:integration")) {
            throw in.invalid("The following data type is not supported: " + dataType
                    + " (supported: text, aws:ec2:image, aws:ssm:integration)");
        }
        if (overwrite && hasTags && existing.isPresent()) {
            throw in.invalid("Invalid request: tags and overwrite can't be used together. To create a parameter with "
                    + "tags, please remove overwrite flag. To update tags for an existing parameter, please use "
                    + "AddTagsToResource or RemoveTagsFromResource.");
        }
        return store.put(name, effectiveType, value, overwrite, description, dataType,
                "SecureString".equals(effectiveType) ? keyId : null);
    }

    private static void validateName(String name, JsonInput in) {
        if (name.isEmpty() || name.length() > 2048 || !NAME.matcher(name).matches()) {
            throw in.invalid("Parameter name " + name + " is not valid: it may only contain letters, numbers and "
                    + "the symbols .-_/ and must be 1 to 2048 characters long.");
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw in.invalid("Parameter name must be a fully qualified name: " + name
                    + " contains / and therefore must begin with /.");
        }
        String firstSegment = name.startsWith("/") ? name.substring(1) : name;
        String lower = firstSegment.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("aws") || lower.startsWith("ssm")) {
            throw in.invalid("Parameter name " + name + " is not valid: names can't be prefixed with \"aws\" or "
                    + "\"ssm\" (case-insensitive).");
        }
        if (name.chars().filter(c -> c == '/').count() > 15) {
            throw new AwsServiceException("HierarchyLevelLimitExceededException", 400, "Parameter " + name
                    + " has more than 15 hierarchy levels, the maximum Parameter Store allows.");
        }
    }

    private JsonNode deleteParameter(JsonInput in) {
        String name = in.required("Name");
        if (!store.delete(name)) {
            throw notFound(name);
        }
        return Json.object();
    }

    private JsonNode deleteParameters(JsonInput in) {
        ObjectNode out = Json.object();
        ArrayNode deleted = out.putArray("DeletedParameters");
        ArrayNode invalid = out.putArray("InvalidParameters");
        for (String name : in.strings("Names")) {
            (store.delete(name) ? deleted : invalid).add(name);
        }
        return out;
    }

    /** The parameter a {@code name} or {@code name:version} refers to. */
    private ParameterVersion select(String requested) {
        Optional<String> selector = selectorOf(requested);
        String name = selector.map(s -> requested.substring(0, requested.length() - s.length())).orElse(requested);
        if (selector.isEmpty()) {
            return store.latest(name).orElseThrow(() -> notFound(name));
        }
        String version = selector.get().substring(1);
        if (!version.matches("\\d+")) {
            throw new AwsServiceException("ParameterVersionLabelNotFound", 400, "The label " + version + " of "
                    + name + " was not found: parameter labels are not emulated by the local cloud; select a "
                    + "version number instead.");
        }
        List<ParameterVersion> history = store.history(name);
        if (history.isEmpty()) {
            throw notFound(name);
        }
        return history.stream().filter(p -> p.version() == Long.parseLong(version)).findFirst()
                .orElseThrow(() -> new AwsServiceException("ParameterVersionNotFound", 400, "Systems Manager could "
                        + "not find version " + version + " of " + name + ". Verify the version and try again."));
    }

    /** The {@code :selector} suffix of a requested name ({@code /a/b:3}), if any. */
    private static Optional<String> selectorOf(String requested) {
        int colon = requested.lastIndexOf(':');
        return colon > 0 ? Optional.of(requested.substring(colon)) : Optional.empty();
    }

    ObjectNode render(ParameterVersion p, boolean withDecryption, Optional<String> selector) {
        ObjectNode node = Json.object();
        node.put("Name", p.name());
        node.put("Type", p.type());
        node.put("Value", "SecureString".equals(p.type()) && !withDecryption ? ciphertext(p) : p.value());
        node.put("Version", p.version());
        selector.ifPresent(s -> node.put("Selector", s));
        node.put("LastModifiedDate", p.lastModifiedMillis() / 1000.0);
        node.put("ARN", arn(p.name()));
        node.put("DataType", p.dataType());
        return node;
    }

    /**
     * What a SecureString reads as without decryption. AWS returns the KMS ciphertext; the local cloud has no KMS
     * and returns an opaque base64 blob instead, never the plain value.
     */
    private static String ciphertext(ParameterVersion p) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((p.keyId() + "\n" + p.name()
                    + "\n" + p.version() + "\n" + p.value()).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    String arn(String name) {
        return "arn:aws:ssm:" + context.region() + ":" + context.accountId() + ":parameter"
                + (name.startsWith("/") ? name : "/" + name);
    }

    ParameterStore store() {
        return store;
    }

    static AwsServiceException notFound(String name) {
        return new AwsServiceException("ParameterNotFound", 400, "Parameter " + name + " not found.");
    }
}
