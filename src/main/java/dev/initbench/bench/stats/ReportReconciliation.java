package dev.initbench.bench.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the function's REPORT lines say compared with what its responses said, matched by request id.
 *
 * <p>Expected on AWS and on the local cloud: every response has its REPORT line; the first invocation of each
 * on-demand environment carries an Init Duration; no invocation of a provisioned-concurrency environment does
 * (provisioned environments initialize ahead of traffic).
 *
 * @param responses                          attributable responses with a request id
 * @param matched                            of those, how many have a REPORT line
 * @param missingReportLines                 request ids of responses without a REPORT line (at most 20 listed)
 * @param missingReportLineCount             how many responses lack their REPORT line
 * @param reportLinesWithoutResponse         REPORT lines of invocations not among the responses (other callers,
 *                                           timed-out requests)
 * @param onDemandFirstInvocations           matched responses that were an on-demand environment's first invocation
 * @param onDemandInitDurationsMs            the Init Durations of their REPORT lines (cold-start init cost)
 * @param provisionedWithInitDuration        matched responses of provisioned environments whose REPORT line has an
 *                                           Init Duration (should be 0)
 * @param billedDurationTotalMs              sum of Billed Duration over matched REPORT lines
 * @param maxDurationMs                      largest Duration over matched REPORT lines
 */
@JsonIgnoreProperties(value = {"problems", "consistent"}, allowGetters = true)
public record ReportReconciliation(long responses, long matched, List<String> missingReportLines,
                                   long missingReportLineCount, long reportLinesWithoutResponse,
                                   long onDemandFirstInvocations, List<Double> onDemandInitDurationsMs,
                                   long provisionedWithInitDuration, double billedDurationTotalMs,
                                   double maxDurationMs) {

    private static final int LISTED_MISSING = 20;

    public ReportReconciliation {
        missingReportLines = List.copyOf(missingReportLines);
        onDemandInitDurationsMs = List.copyOf(onDemandInitDurationsMs);
    }

    public static ReportReconciliation reconcile(Collection<ResponseFacts> responses, Collection<ReportLine> lines) {
        Map<String, ReportLine> byRequestId = new HashMap<>();
        for (ReportLine line : lines) {
            byRequestId.put(line.requestId(), line);
        }
        long withId = 0;
        long matched = 0;
        long missingCount = 0;
        List<String> missing = new ArrayList<>();
        long onDemandFirst = 0;
        List<Double> initDurations = new ArrayList<>();
        long provisionedWithInit = 0;
        double billed = 0;
        double maxDuration = 0;
        Set<String> responseIds = new HashSet<>();
        for (ResponseFacts facts : responses) {
            if (facts.awsRequestId().isEmpty()) {
                continue;
            }
            withId++;
            responseIds.add(facts.awsRequestId());
            ReportLine line = byRequestId.get(facts.awsRequestId());
            if (line == null) {
                missingCount++;
                if (missing.size() < LISTED_MISSING) {
                    missing.add(facts.awsRequestId());
                }
                continue;
            }
            matched++;
            billed += line.billedDurationMs();
            maxDuration = Math.max(maxDuration, line.durationMs());
            if (facts.onDemand() && facts.firstInvocation()) {
                onDemandFirst++;
                line.initDurationMs().ifPresent(initDurations::add);
            } else if (!facts.onDemand() && line.initDurationMs().isPresent()) {
                provisionedWithInit++;
            }
        }
        long unmatchedLines = byRequestId.keySet().stream().filter(id -> !responseIds.contains(id)).count();
        return new ReportReconciliation(withId, matched, missing, missingCount, unmatchedLines, onDemandFirst,
                initDurations, provisionedWithInit, billed, maxDuration);
    }

    /** Each disagreement between responses and REPORT lines, explained; empty when they agree. */
    @JsonProperty("problems")
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (missingReportLineCount > 0) {
            problems.add(missingReportLineCount + " of " + responses + " responses have no REPORT line (first: "
                    + missingReportLines + "); were all log events read, including the last seconds?");
        }
        if (onDemandInitDurationsMs.size() < onDemandFirstInvocations) {
            problems.add((onDemandFirstInvocations - onDemandInitDurationsMs.size()) + " of "
                    + onDemandFirstInvocations + " first invocations of on-demand environments have no Init Duration"
                    + " in their REPORT line");
        }
        if (provisionedWithInitDuration > 0) {
            problems.add(provisionedWithInitDuration + " invocations of provisioned-concurrency environments have an"
                    + " Init Duration in their REPORT line (provisioned environments initialize ahead of traffic)");
        }
        return problems;
    }

    /** Whether responses and REPORT lines agree. */
    @JsonProperty("consistent")
    public boolean consistent() {
        return problems().isEmpty();
    }
}
