package dev.initbench.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ReportLineTest {

    static String reportLine(String requestId, String initDuration) {
        return "REPORT RequestId: " + requestId + "\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB"
                + "\tMax Memory Used: 98 MB\t" + (initDuration == null ? "" : "Init Duration: " + initDuration + " ms\t");
    }

    @Test
    void readsAReportLineWithInitDuration() {
        ReportLine line = ReportLine.parse(reportLine("0b7f-1", "456.78")).orElseThrow();

        assertThat(line).isEqualTo(new ReportLine("0b7f-1", 12.34, 13, 1024, 98, OptionalDouble.of(456.78)));
    }

    @Test
    void readsAReportLineWithoutInitDurationAndWithExtraFields() {
        ReportLine line = ReportLine.parse(reportLine("id-2", null)
                + "Restore Duration: 5.0 ms\tBilled Restore Duration: 5 ms\t\n").orElseThrow();

        assertThat(line.requestId()).isEqualTo("id-2");
        assertThat(line.initDurationMs()).isEmpty();
        assertThat(line.billedDurationMs()).isEqualTo(13);
    }

    @Test
    void skipsOtherLogLines() {
        List<ReportLine> lines = ReportLine.parseAll(List.of("START RequestId: a Version: 1", "END RequestId: a",
                "hello from the function", "Duration: 1 ms", reportLine("a", null)));

        assertThat(lines).extracting(ReportLine::requestId).containsExactly("a");
    }

    @Test
    void aReportLineMissingAFieldIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ReportLine.parse("REPORT RequestId: a\tDuration: 1.0 ms\tMemory Size: 128 MB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REPORT line without 'Billed Duration: …'")
                .hasMessageContaining("REPORT RequestId: a");
    }
}
