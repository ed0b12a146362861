package dev.initbench.localcloud.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The CloudWatch Logs data of one local cloud: log groups, their streams and events. The Lambda service writes
 * each execution environment's output here; the Logs API reads it. Thread-safe.
 */
public final class LogStore {

    /** One log event. */
    public record LogEvent(long timestamp, long ingestionTime, String message) {
    }

    private final Map<String, Map<String, List<LogEvent>>> groups = new ConcurrentSkipListMap<>();
    private final Map<String, Long> groupCreationTimes = new ConcurrentHashMap<>();

    /** Creates the group if it does not exist yet; returns true when it created it. */
    public boolean ensureGroup(String group) {
        boolean[] created = {false};
        groups.computeIfAbsent(group, name -> {
            created[0] = true;
            groupCreationTimes.put(name, System.currentTimeMillis());
            return new ConcurrentSkipListMap<>();
        });
        return created[0];
    }

    public boolean hasGroup(String group) {
        return groups.containsKey(group);
    }

    /** Removes the group with all its streams; returns false when there was none. */
    public boolean deleteGroup(String group) {
        groupCreationTimes.remove(group);
        return groups.remove(group) != null;
    }

    public List<String> groupNames() {
        return new ArrayList<>(groups.keySet());
    }

    public Optional<Long> groupCreationTime(String group) {
        return Optional.ofNullable(groupCreationTimes.get(group));
    }

    /** Appends one event, creating group and stream as Lambda does when they are missing. */
    public void append(String group, String stream, long timestamp, String message) {
        ensureGroup(group);
        List<LogEvent> events = groups.get(group).computeIfAbsent(stream, s -> new ArrayList<>());
        synchronized (events) {
            events.add(new LogEvent(timestamp, System.currentTimeMillis(), message));
        }
    }

    /** Creates an empty stream in an existing group; returns false when the group is missing or the stream exists. */
    public boolean createStream(String group, String stream) {
        Map<String, List<LogEvent>> streams = groups.get(group);
        return streams != null && streams.putIfAbsent(stream, new ArrayList<>()) == null;
    }

    /** The stream names of a group, sorted; empty when the group does not exist. */
    public List<String> streamNames(String group) {
        Map<String, List<LogEvent>> streams = groups.get(group);
        return streams == null ? List.of() : new ArrayList<>(streams.keySet());
    }

    /** A snapshot of one stream's events in the order written; empty when group or stream does not exist. */
    public List<LogEvent> events(String group, String stream) {
        Map<String, List<LogEvent>> streams = groups.get(group);
        List<LogEvent> events = streams == null ? null : streams.get(stream);
        if (events == null) {
            return List.of();
        }
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }
}
