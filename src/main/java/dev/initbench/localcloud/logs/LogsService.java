package dev.initbench.localcloud.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.initbench.json.Json;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.PageTokens;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.logs.LogStore.LogEvent;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.JsonInput;
import dev.initbench.localcloud.protocol.JsonService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs over awsJson 1.1 ({@code X-Amz-Target: Logs_20140328.*}) on top of the {@link LogStore} the
 * Lambda service writes: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, CreateLogStream,
 * DescribeLogStreams, PutLogEvents, GetLogEvents, FilterLogEvents.
 */
public final class LogsService implements JsonService {

    private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");
    private static final Pattern STREAM_NAME = Pattern.compile("[^:*]{1,512}");
    private static final int MAX_EVENTS = 10_000;
    private static final int MAX_DESCRIBE = 50;

    private static final PageTokens PAGE_TOKENS = new PageTokens(LogsService::invalidToken);

    private final CloudContext context;
    private final LogStore store;
    private final Map<String, Integer> retentionDays = new ConcurrentHashMap<>();

    public LogsService(CloudContext context, LogStore store) {
        this.context = context;
        this.store = store;
    }

    @Override
    public String targetPrefix() {
        return "Logs_20140328";
    }

    /** The CloudFormation resource types this service provides: {@code AWS::Logs::LogGroup}. */
    public List<ResourceProvider> resourceProviders() {
        return List.of(new LogGroupResourceProvider(this));
    }

    @Override
    public JsonNode handle(String operation, JsonNode input) {
        JsonInput in = new JsonInput(input, "InvalidParameterException");
        return switch (operation) {
            case "CreateLogGroup" -> createLogGroup(in);
            case "DeleteLogGroup" -> deleteLogGroup(in);
            case "DescribeLogGroups" -> describeLogGroups(in);
            case "PutRetentionPolicy" -> putRetentionPolicy(in);
            case "CreateLogStream" -> createLogStream(in);
            case "DescribeLogStreams" -> describeLogStreams(in);
            case "PutLogEvents" -> putLogEvents(in);
            case "GetLogEvents" -> getLogEvents(in);
            case "FilterLogEvents" -> filterLogEvents(in);
            default -> throw new NotEmulatedException("Operation " + operation + " is not emulated by the local cloud");
        };
    }

    private JsonNode createLogGroup(JsonInput in) {
        createGroup(in.required("logGroupName"), in);
        return Json.object();
    }

    /** CreateLogGroup's rules, shared with the CloudFormation resource provider. */
    void createGroup(String name, JsonInput in) {
        if (!GROUP_NAME.matcher(name).matches()) {
            throw in.invalid("1 validation error detected: Value '" + name + "' at 'logGroupName' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ (1-512 "
                    + "characters)");
        }
        if (!store.ensureGroup(name)) {
            throw new AwsServiceException("ResourceAlreadyExistsException", 400,
                    "The specified log group already exists: " + name);
        }
    }

    private JsonNode deleteLogGroup(JsonInput in) {
        String name = in.required("logGroupName");
        if (!deleteGroup(name)) {
            throw groupNotFound(name);
        }
        return Json.object();
    }

    /** DeleteRetentionPolicy: the group keeps its events forever again. */
    void clearRetention(String group) {
        retentionDays.remove(group);
    }

    void setRetention(String group, int days) {
        retentionDays.put(group, days);
    }

    boolean deleteGroup(String group) {
        retentionDays.remove(group);
        return store.deleteGroup(group);
    }

    private JsonNode putRetentionPolicy(JsonInput in) {
        String group = existingGroup(in);
        long days = in.number("retentionInDays").orElseThrow(() -> in.invalid("1 validation error detected: Value "
                + "null at 'retentionInDays' failed to satisfy constraint: Member must not be null"));
        setRetention(group, (int) days);
        return Json.object();
    }

    private JsonNode describeLogGroups(JsonInput in) {
        String prefix = in.text("logGroupNamePrefix").orElse("");
        List<String> names = store.groupNames().stream().filter(n -> n.startsWith(prefix)).toList();
        int limit = limit(in, MAX_DESCRIBE);
        PageTokens.Page<String> page = PAGE_TOKENS.page("DescribeLogGroups", names, in.text("nextToken"), limit);
        ObjectNode out = Json.object();
        ArrayNode groups = out.putArray("logGroups");
        for (String name : page.items()) {
            ObjectNode group = groups.addObject();
            group.put("logGroupName", name);
            group.put("creationTime", store.groupCreationTime(name).orElse(0L));
            Integer retention = retentionDays.get(name);
            if (retention != null) {
                group.put("retentionInDays", retention);
            }
            group.put("metricFilterCount", 0);
            group.put("arn", groupArn(name) + ":*");
            group.put("storedBytes", 0);
            group.put("logGroupClass", "STANDARD");
            group.put("logGroupArn", groupArn(name));
        }
        page.nextToken().ifPresent(token -> out.put("nextToken", token));
        return out;
    }

    private JsonNode createLogStream(JsonInput in) {
        String group = existingGroup(in);
        String stream = in.required("logStreamName");
        validateStreamName(stream, in);
        if (!store.createStream(group, stream)) {
            throw new AwsServiceException("ResourceAlreadyExistsException", 400,
                    "The specified log stream already exists: " + stream + " in " + group);
        }
        return Json.object();
    }

    private static void validateStreamName(String stream, JsonInput in) {
        if (!STREAM_NAME.matcher(stream).matches()) {
            throw in.invalid("1 validation error detected: Value '" + stream + "' at 'logStreamName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [^:*]* (1-512 characters)");
        }
    }

    private JsonNode describeLogStreams(JsonInput in) {
        String group = existingGroup(in);
        String prefix = in.text("logStreamNamePrefix").orElse("");
        String orderBy = in.text("orderBy").orElse("LogStreamName");
        if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
            throw in.invalid("1 validation error detected: Value '" + orderBy + "' at 'orderBy' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        }
        if (orderBy.equals("LastEventTime") && !prefix.isEmpty()) {
            throw in.invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        List<ObjectNode> streams = new ArrayList<>();
        for (String name : store.streamNames(group)) {
            if (name.startsWith(prefix)) {
                streams.add(describeStream(group, name));
            }
        }
        if (orderBy.equals("LastEventTime")) {
            streams.sort(Comparator.comparingLong(s -> s.path("lastEventTimestamp").asLong(0)));
        }
        if (in.flag("descending")) {
            java.util.Collections.reverse(streams);
        }
        int limit = limit(in, MAX_DESCRIBE);
        PageTokens.Page<ObjectNode> page = PAGE_TOKENS.page("DescribeLogStreams", streams, in.text("nextToken"),
                limit);
        ObjectNode out = Json.object();
        out.putArray("logStreams").addAll(page.items());
        page.nextToken().ifPresent(token -> out.put("nextToken", token));
        return out;
    }

    private ObjectNode describeStream(String group, String name) {
        List<LogEvent> events = store.events(group, name);
        ObjectNode stream = Json.object();
        stream.put("logStreamName", name);
        stream.put("creationTime", events.isEmpty() ? store.groupCreationTime(group).orElse(0L)
                : events.get(0).ingestionTime());
        if (!events.isEmpty()) {
            stream.put("firstEventTimestamp", events.stream().mapToLong(LogEvent::timestamp).min().orElseThrow());
            stream.put("lastEventTimestamp", events.stream().mapToLong(LogEvent::timestamp).max().orElseThrow());
            stream.put("lastIngestionTime", events.get(events.size() - 1).ingestionTime());
        }
        stream.put("arn", groupArn(group) + ":log-stream:" + name);
        stream.put("storedBytes", 0);
        return stream;
    }

    private JsonNode putLogEvents(JsonInput in) {
        String group = existingGroup(in);
        String stream = in.required("logStreamName");
        if (!store.streamNames(group).contains(stream)) {
            throw new AwsServiceException("ResourceNotFoundException", 400, "The specified log stream does not "
                    + "exist: " + stream + " in " + group);
        }
        JsonNode events = in.node().path("logEvents");
        if (!events.isArray() || events.isEmpty()) {
            throw in.invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1");
        }
        long previous = Long.MIN_VALUE;
        for (JsonNode event : events) {
            long timestamp = event.path("timestamp").asLong();
            if (timestamp < previous) {
                throw in.invalid("Log events in a single PutLogEvents request must be in chronological order.");
            }
            previous = timestamp;
        }
        events.forEach(event -> store.append(group, stream, event.path("timestamp").asLong(),
                event.path("message").asText()));
        return Json.object();
    }

    /**
     * Events of one stream between {@code f/<index>} and {@code b/<index>} tokens. At either end the token that was
     * sent comes back unchanged, which is how clients (and the SDK paginator) know they reached it.
     */
    private JsonNode getLogEvents(JsonInput in) {
        String group = existingGroup(in);
        String stream = in.required("logStreamName");
        if (!store.streamNames(group).contains(stream)) {
            throw new AwsServiceException("ResourceNotFoundException", 400, "The specified log stream does not "
                    + "exist: " + stream + " in " + group);
        }
        List<LogEvent> events = inWindow(store.events(group, stream), in);
        int limit = limit(in, MAX_EVENTS);
        int size = events.size();
        int from;
        int to;
        String token = in.text("nextToken").orElse(null);
        if (token == null) {
            boolean fromHead = in.flag("startFromHead");
            from = fromHead ? 0 : Math.max(0, size - limit);
            to = fromHead ? Math.min(size, limit) : size;
        } else if (token.startsWith("f/")) {
            from = tokenIndex(token, size);
            to = Math.min(size, from + limit);
        } else if (token.startsWith("b/")) {
            to = tokenIndex(token, size);
            from = Math.max(0, to - limit);
        } else {
            throw invalidToken(token);
        }
        ObjectNode out = Json.object();
        ArrayNode page = out.putArray("events");
        for (LogEvent event : events.subList(from, to)) {
            page.addObject().put("timestamp", event.timestamp()).put("message", event.message())
                    .put("ingestionTime", event.ingestionTime());
        }
        out.put("nextForwardToken", "f/" + pad(to));
        out.put("nextBackwardToken", "b/" + pad(from));
        return out;
    }

    private JsonNode filterLogEvents(JsonInput in) {
        String group = existingGroup(in);
        List<String> streamNames = in.strings("logStreamNames");
        String streamPrefix = in.text("logStreamNamePrefix").orElse(null);
        if (!streamNames.isEmpty() && streamPrefix != null) {
            throw in.invalid("logStreamNames and logStreamNamePrefix are mutually exclusive: give one of them.");
        }
        FilterPattern pattern = FilterPattern.parse(in.text("filterPattern").orElse(""));
        List<String> searched = store.streamNames(group).stream()
                .filter(s -> streamNames.isEmpty() || streamNames.contains(s))
                .filter(s -> streamPrefix == null || s.startsWith(streamPrefix)).toList();
        record Match(String stream, int ordinal, int index, LogEvent event) {
        }
        List<Match> matches = new ArrayList<>();
        for (int ordinal = 0; ordinal < searched.size(); ordinal++) {
            List<LogEvent> events = store.events(group, searched.get(ordinal));
            for (int index = 0; index < events.size(); index++) {
                LogEvent event = events.get(index);
                if (inWindow(event, in) && pattern.matches(event.message())) {
                    matches.add(new Match(searched.get(ordinal), ordinal, index, event));
                }
            }
        }
        matches.sort(Comparator.comparingLong((Match m) -> m.event().timestamp()).thenComparing(Match::ordinal)
                .thenComparing(Match::index));
        int limit = limit(in, MAX_EVENTS);
        PageTokens.Page<Match> page = PAGE_TOKENS.page("FilterLogEvents", matches, in.text("nextToken"), limit);
        ObjectNode out = Json.object();
        ArrayNode events = out.putArray("events");
        for (Match match : page.items()) {
            events.addObject().put("logStreamName", match.stream()).put("timestamp", match.event().timestamp())
                    .put("message", match.event().message()).put("ingestionTime", match.event().ingestionTime())
                    .put("eventId", String.format("%019d%06d%09d", match.event().timestamp(), match.ordinal(),
                            match.index()));
        }
        ArrayNode searchedStreams = out.putArray("searchedLogStreams");
        searched.forEach(s -> searchedStreams.addObject().put("logStreamName", s).put("searchedCompletely", true));
        page.nextToken().ifPresent(token -> out.put("nextToken", token));
        return out;
    }

    /** Events with {@code startTime <= timestamp <= endTime} (either bound optional). */
    private static List<LogEvent> inWindow(List<LogEvent> events, JsonInput in) {
        return events.stream().filter(e -> inWindow(e, in)).toList();
    }

    private static boolean inWindow(LogEvent event, JsonInput in) {
        return event.timestamp() >= in.number("startTime").orElse(Long.MIN_VALUE)
                && event.timestamp() <= in.number("endTime").orElse(Long.MAX_VALUE);
    }

    /** The group named by {@code logGroupName} or {@code logGroupIdentifier} (a name or an ARN); it must exist. */
    private String existingGroup(JsonInput in) {
        String group = in.text("logGroupName").or(() -> in.text("logGroupIdentifier").map(LogsService::nameOf))
                .orElseThrow(() -> in.invalid("Either logGroupName or logGroupIdentifier must be given."));
        if (!store.hasGroup(group)) {
            throw groupNotFound(group);
        }
        return group;
    }

    private static String nameOf(String identifier) {
        if (!identifier.startsWith("arn:")) {
            return identifier;
        }
        String name = identifier.substring(identifier.indexOf(":log-group:") + ":log-group:".length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }

    private static int limit(JsonInput in, int max) {
        long limit = in.number("limit").orElse(max);
        if (limit < 1 || limit > max) {
            throw in.invalid("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy "
                    + "constraint: Member must have value less than or equal to " + max
                    + " and greater than or equal to 1");
        }
        return (int) limit;
    }

    private static String pad(int index) {
        return String.format("%056d", index);
    }

    private static int tokenIndex(String token, int size) {
        try {
            int index = Integer.parseInt(token.substring(2));
            if (index < 0 || index > size) {
                throw invalidToken(token);
            }
            return index;
        } catch (NumberFormatException e) {
            throw invalidToken(token);
        }
    }

    private static AwsServiceException invalidToken(String token) {
        return new AwsServiceException("InvalidParameterException", 400, "The specified nextToken is invalid: '"
                + token + "'; pass the token of the previous response unchanged.");
    }

    String groupArn(String group) {
        return "arn:aws:logs:" + context.region() + ":" + context.accountId() + ":log-group:" + group;
    }

    static AwsServiceException groupNotFound(String group) {
        return new AwsServiceException("ResourceNotFoundException", 400,
                "The specified log group does not exist: " + group);
    }
}
