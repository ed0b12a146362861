package dev.initbench.bench.run;

import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.load.RequestRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one load run into what the benchmark judges separately: the steady phases, during which provisioned
 * concurrency is meant to cover the load (reported under the endpoint's own name, e.g. {@code eager}), and the
 * scale-out burst meant to exceed it (reported as {@code eager.<burst phase>}). Both come from one schedule, so
 * both endpoints still see the same conditions; splitting keeps the burst's cold starts out of the steady figures.
 */
public final class RunScopes {

    private RunScopes() {
    }

    /** The name the burst part of an endpoint is reported under. */
    public static String burstEndpoint(String endpoint, String burstPhase) {
        return endpoint + "." + burstPhase;
    }

    /** The run with each endpoint's burst requests moved to an endpoint of their own. */
    public static LoadResult split(LoadResult result, String burstPhase) {
        LoadPlan.Builder plan = result.plan().toBuilder().endpoints(List.of());
        for (LoadPlan.Endpoint endpoint : result.plan().endpoints()) {
            plan.endpoint(endpoint.name(), endpoint.uri());
        }
        for (LoadPlan.Endpoint endpoint : result.plan().endpoints()) {
            plan.endpoint(burstEndpoint(endpoint.name(), burstPhase), endpoint.uri());
        }
        List<RequestRecord> records = new ArrayList<>(result.records().size());
        for (RequestRecord r : result.records()) {
            records.add(!r.phase().equals(burstPhase) ? r : new RequestRecord(burstEndpoint(r.endpoint(), burstPhase),
                    r.phase(), r.arrival(), r.intendedSendNanos(), r.actualSendNanos(), r.latencyNanos(),
                    r.outcome(), r.statusCode(), r.body(), r.error()));
        }
        return new LoadResult(plan.build(), result.startedAt(), result.finishedAt(), records);
    }

    /**
     * The most requests of one endpoint that were open at the same moment: each is open from its actual send to
     * its outcome. Compared with provisioned concurrency, it tells whether the load fit in the provisioned
     * environments.
     */
    public static int peakConcurrency(List<RequestRecord> records) {
        List<long[]> edges = new ArrayList<>();
        for (RequestRecord r : records) {
            if (r.sent()) {
                edges.add(new long[] {r.actualSendNanos(), 1});
                edges.add(new long[] {r.intendedSendNanos() + r.latencyNanos(), -1});
            }
        }
        // Ends sort before starts at the same instant: a request handed over as another completes does not overlap.
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int peak = 0;
        for (long[] edge : edges) {
            open += (int) edge[1];
            peak = Math.max(peak, open);
        }
        return peak;
    }
}
