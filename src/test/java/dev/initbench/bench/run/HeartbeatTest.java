package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HeartbeatTest {

    @Test
    void reportsTheStatusEveryIntervalUntilClosedAndNeverAfter() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        try (Heartbeat heartbeat = Heartbeat.every(Duration.ofMillis(20), () -> "poll " + polls.incrementAndGet(),
                lines::add)) {
            while (lines.size() < 3) {
                Thread.sleep(5);
            }
        }
        int closedAt = lines.size();
        Thread.sleep(100);

        assertThat(lines).hasSize(closedAt).startsWith("poll 1", "poll 2", "poll 3");
    }

    @Test
    void aStatusThatCannotBeReadIsReportedNotThrown() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Heartbeat heartbeat = Heartbeat.every(Duration.ofMillis(10), () -> {
            throw new IllegalStateException("endpoint gone");
        }, lines::add)) {
            while (lines.size() < 2) {
                Thread.sleep(5);
            }
        }

        assertThat(lines).allSatisfy(line -> assertThat(line).isEqualTo("status unavailable: endpoint gone"));
    }
}
