package dev.initbench.localcloud.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloudExtension;
import dev.initbench.localcloud.TestClients;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** CloudWatch Logs through the real SDK v2 CloudWatchLogsClient, including its paginators. */
class LogsApiTest {

    private static final String GROUP = "/aws/lambda/fn";
    private static final long T0 = 1_741_608_000_000L;
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        logs = CLOUD.client(TestClients::logs);
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName("2025/03/10/[1]aaaa"));
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName("2025/03/10/[1]bbbb"));
        List<InputLogEvent> first = new ArrayList<>();
        List<InputLogEvent> second = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(event(T0 + 2L * i, "START RequestId: a" + i + " Version: 1"));
            second.add(event(T0 + 2L * i + 1, "REPORT RequestId: b" + i + "\tDuration: 1.00 ms"
                    + (i == 0 ? "\tInit Duration: 456.78 ms\t" : "\t")));
        }
        logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName("2025/03/10/[1]aaaa").logEvents(first));
        logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName("2025/03/10/[1]bbbb").logEvents(second));
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    @Test
    void filterWithAPlainTermMergesStreamsInTimeOrderAndPaginatesUntilNoToken() {
        List<FilterLogEventsResponse> pages = logs.filterLogEventsPaginator(b -> b.logGroupName(GROUP)
                .filterPattern("RequestId").limit(3)).stream().toList();

        List<FilteredLogEvent> events = pages.stream().flatMap(p -> p.events().stream()).toList();
        assertThat(events).hasSize(10);
        assertThat(events).extracting(FilteredLogEvent::timestamp).isSorted();
        assertThat(events.get(0).logStreamName()).isEqualTo("2025/03/10/[1]aaaa");
        assertThat(events.get(1).logStreamName()).isEqualTo("2025/03/10/[1]bbbb");
        assertThat(events).extracting(FilteredLogEvent::eventId).doesNotHaveDuplicates();
        assertThat(pages).hasSize(4);
        assertThat(pages.get(pages.size() - 1).nextToken()).isNull();
    }

    @Test
    void filterPatternsCombineTermsPhrasesAndStreamSelection() {
        assertThat(messages(b -> b.filterPattern("REPORT \"Init Duration\""))).hasSize(1).allMatch(m ->
                m.contains("b0"));
        assertThat(messages(b -> b.filterPattern("REPORT -\"Init Duration\""))).hasSize(4);
        assertThat(messages(b -> b.filterPattern("?a1 ?b2"))).hasSize(2);
        assertThat(messages(b -> b.filterPattern("report"))).as("case-sensitive").isEmpty();
        assertThat(messages(b -> b.logStreamNames("2025/03/10/[1]aaaa"))).hasSize(5).allMatch(m ->
                m.startsWith("START"));
        assertThat(messages(b -> b.startTime(T0 + 2).endTime(T0 + 4))).hasSize(3);
    }

    private static List<String> messages(
            java.util.function.Consumer<software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest.Builder> filter) {
        return logs.filterLogEventsPaginator(b -> filter.accept(b.logGroupName(GROUP))).stream()
                .flatMap(p -> p.events().stream()).map(FilteredLogEvent::message).toList();
    }

    @Test
    void getLogEventsPaginatorFromHeadEndsWhenTheSameForwardTokenComesBack() {
        List<OutputLogEvent> events = logs.getLogEventsPaginator(b -> b.logGroupName(GROUP)
                .logStreamName("2025/03/10/[1]aaaa").startFromHead(true).limit(2)).events().stream().toList();

        assertThat(events).extracting(OutputLogEvent::message).containsExactly("START RequestId: a0 Version: 1",
                "START RequestId: a1 Version: 1", "START RequestId: a2 Version: 1", "START RequestId: a3 Version: 1",
                "START RequestId: a4 Version: 1");
    }

    @Test
    void getLogEventsWithoutTokenReturnsTheNewestAndWalksBackwards() {
        GetLogEventsResponse newest = logs.getLogEvents(b -> b.logGroupName(GROUP)
                .logStreamName("2025/03/10/[1]aaaa").limit(2));
        GetLogEventsResponse older = logs.getLogEvents(b -> b.logGroupName(GROUP)
                .logStreamName("2025/03/10/[1]aaaa").limit(2).nextToken(newest.nextBackwardToken()));
        GetLogEventsResponse atEnd = logs.getLogEvents(b -> b.logGroupName(GROUP)
                .logStreamName("2025/03/10/[1]aaaa").nextToken(newest.nextForwardToken()));

        assertThat(newest.events()).extracting(OutputLogEvent::message).containsExactly(
                "START RequestId: a3 Version: 1", "START RequestId: a4 Version: 1");
        assertThat(older.events()).extracting(OutputLogEvent::message).containsExactly(
                "START RequestId: a1 Version: 1", "START RequestId: a2 Version: 1");
        assertThat(atEnd.events()).isEmpty();
        assertThat(atEnd.nextForwardToken()).isEqualTo(newest.nextForwardToken());
    }

    @Test
    void describeListsGroupsWithArnsAndStreamsWithEventTimes() {
        logs.createLogGroup(b -> b.logGroupName("/describe/me"));
        logs.putRetentionPolicy(b -> b.logGroupName("/describe/me").retentionInDays(1));

        LogGroup group = logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix("/describe").limit(1))
                .logGroups().stream().findFirst().orElseThrow();
        List<LogStream> streams = logs.describeLogStreamsPaginator(b -> b.logGroupName(GROUP).limit(1))
                .logStreams().stream().toList();

        assertThat(group.logGroupName()).isEqualTo("/describe/me");
        assertThat(group.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/describe/me:*");
        assertThat(group.retentionInDays()).isEqualTo(1);
        assertThat(streams).extracting(LogStream::logStreamName).containsExactly("2025/03/10/[1]aaaa",
                "2025/03/10/[1]bbbb");
        assertThat(streams.get(1).lastEventTimestamp()).isEqualTo(T0 + 9);
    }

    @Test
    void deleteLogGroupRemovesIt() {
        logs.createLogGroup(b -> b.logGroupName("/short/lived"));
        logs.deleteLogGroup(b -> b.logGroupName("/short/lived"));

        assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/short")).logGroups()).isEmpty();
    }
}
