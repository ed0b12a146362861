package dev.initbench.bench.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Reads a function's {@code REPORT} lines back through the CloudWatch Logs API, the same way on both targets.
 * On AWS, log events arrive seconds after the invocation, so it polls until it has as many lines as expected or
 * the wait runs out (then it returns what it has and the reconciliation reports the gap).
 */
public final class ReportLogReader {

    /** One REPORT (or HOSTCPU) line with the stream (= execution environment) it was written to. */
    public record ReportLine(String logStreamName, long timestamp, String message) {
    }

    private final CloudWatchLogsClient logs;
    private final Duration wait;
    private final Duration pollDelay;
    private final Consumer<String> progress;

    public ReportLogReader(CloudWatchLogsClient logs, Duration wait, Duration pollDelay, Consumer<String> progress) {
        this.logs = logs;
        this.wait = wait;
        this.pollDelay = pollDelay;
        this.progress = progress;
    }

    /** The REPORT lines of {@code /aws/lambda/<function>} written since {@code since}. */
    public List<ReportLine> read(String functionName, Instant since, long expected) {
        String group = "/aws/lambda/" + functionName;
        Instant deadline = Instant.now().plus(wait);
        List<ReportLine> lines = List.of();
        while (true) {
            lines = readOnce(group, since, "REPORT");
            if (lines.size() >= expected || !Instant.now().isBefore(deadline)) {
                break;
            }
            Deployment.sleep(pollDelay);
        }
        if (lines.size() < expected) {
            progress.accept(group + ": " + lines.size() + " REPORT lines of " + expected + " expected after "
                    + wait.toSeconds() + " s (raise bench.logWaitSeconds if logs arrive late)");
        }
        return lines;
    }

    /**
     * The local cloud's {@code HOSTCPU} lines of {@code /aws/lambda/<function>} written since {@code since}, read once:
     * they are written right after each REPORT line (and after each init), so once the REPORT lines are in, so are
     * they. None on AWS.
     */
    public List<ReportLine> readHostCpu(String functionName, Instant since) {
        return readOnce("/aws/lambda/" + functionName, since, "HOSTCPU");
    }

    /**
     * The local cloud's {@code HOSTMEMORY} lines of {@code /aws/lambda/<function>} written since {@code since}, read
     * once: one per environment start refused because the host's memory could not hold it, written when it was
     * refused. None on AWS.
     */
    public List<ReportLine> readHostMemory(String functionName, Instant since) {
        return readOnce("/aws/lambda/" + functionName, since, "HOSTMEMORY");
    }

    /**
     * The START lines of {@code /aws/lambda/<function>} written since {@code since}, read once: one per invocation
     * that began, on AWS and locally alike.
     */
    public List<ReportLine> readStarts(String functionName, Instant since) {
        return readOnce("/aws/lambda/" + functionName, since, "START");
    }

    private List<ReportLine> readOnce(String group, Instant since, String firstWord) {
        List<ReportLine> lines = new ArrayList<>();
        try {
            for (FilteredLogEvent event : logs.filterLogEventsPaginator(b -> b.logGroupName(group)
                    .startTime(since.toEpochMilli()).filterPattern(firstWord)).events()) {
                if (event.message().startsWith(firstWord + " ")) {
                    lines.add(new ReportLine(event.logStreamName(), event.timestamp(), event.message()));
                }
            }
        } catch (ResourceNotFoundException e) {
            // The group appears with the first log line; until then there is nothing to read.
        }
        return lines;
    }
}
