package dev.initbench.bench.stats;

import static dev.initbench.bench.stats.ReportLineTest.reportLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportReconciliationTest {

    private static ResponseFacts facts(String requestId, String initType, boolean first) {
        return new ResponseFacts("lazy-init", "env-" + requestId, initType, first ? 1 : 2, first, 0, 10, 5,
                "stream", requestId);
    }

    @Test
    void agreesWhenEveryResponseHasItsReportLineAndOnlyOnDemandFirstInvocationsCarryInit() {
        List<ResponseFacts> responses = List.of(facts("a", "provisioned-concurrency", true),
                facts("b", "provisioned-concurrency", false), facts("c", "on-demand", true), facts("d", "on-demand", false));
        List<String> log = List.of("START RequestId: a Version: 1", reportLine("a", null), reportLine("b", null),
                reportLine("c", "812.5"), reportLine("d", null), reportLine("other", null));

        ReportReconciliation reconciliation = ReportReconciliation.reconcile(responses, ReportLine.parseAll(log));

        assertThat(reconciliation.consistent()).isTrue();
        assertThat(reconciliation.matched()).isEqualTo(4);
        assertThat(reconciliation.onDemandFirstInvocations()).isEqualTo(1);
        assertThat(reconciliation.onDemandInitDurationsMs()).containsExactly(812.5);
        assertThat(reconciliation.reportLinesWithoutResponse()).isEqualTo(1);
        assertThat(reconciliation.billedDurationTotalMs()).isEqualTo(52);
        assertThat(reconciliation.maxDurationMs()).isEqualTo(12.34);
    }

    @Test
    void namesEachDisagreement() {
        List<ResponseFacts> responses = List.of(facts("a", "provisioned-concurrency", true),
                facts("missing", "provisioned-concurrency", false), facts("c", "on-demand", true));
        List<ReportLine> lines = ReportLine.parseAll(List.of(reportLine("a", "300"), reportLine("c", null)));

        ReportReconciliation reconciliation = ReportReconciliation.reconcile(responses, lines);

        assertThat(reconciliation.consistent()).isFalse();
        assertThat(reconciliation.missingReportLines()).containsExactly("missing");
        assertThat(reconciliation.problems()).containsExactly(
                "1 of 3 responses have no REPORT line (first: [missing]); were all log events read, including the"
                        + " last seconds?",
                "1 of 1 first invocations of on-demand environments have no Init Duration in their REPORT line",
                "1 invocations of provisioned-concurrency environments have an Init Duration in their REPORT line"
                        + " (provisioned environments initialize ahead of traffic)");
    }
}
