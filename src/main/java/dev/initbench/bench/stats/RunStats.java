package dev.initbench.bench.stats;

import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.load.RequestRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The recorders of all endpoints of one run, in the plan's endpoint order. */
public final class RunStats {

    private final Map<String, EndpointRecorder> recorders = new LinkedHashMap<>();

    private RunStats(List<String> endpoints) {
        for (String endpoint : endpoints) {
            recorders.put(endpoint, new EndpointRecorder(endpoint));
        }
    }

    /** Recorders for a plan's endpoints, to be fed record by record. */
    public static RunStats forPlan(LoadPlan plan) {
        return new RunStats(plan.endpoints().stream().map(LoadPlan.Endpoint::name).toList());
    }

    /** Records every request of a finished run. */
    public static RunStats of(LoadResult result) {
        RunStats stats = forPlan(result.plan());
        result.records().forEach(stats::record);
        return stats;
    }

    public void record(RequestRecord record) {
        EndpointRecorder recorder = recorders.get(record.endpoint());
        if (recorder == null) {
            throw new IllegalArgumentException("no endpoint '" + record.endpoint() + "' in this run: "
                    + recorders.keySet());
        }
        recorder.record(record);
    }

    /** The recorder of one endpoint; fails naming the known endpoints. */
    public EndpointRecorder endpoint(String name) {
        EndpointRecorder recorder = recorders.get(name);
        if (recorder == null) {
            throw new IllegalArgumentException("no endpoint '" + name + "' in this run: use one of "
                    + recorders.keySet());
        }
        return recorder;
    }

    public List<EndpointRecorder> endpoints() {
        return List.copyOf(recorders.values());
    }

    public List<EndpointSummary> summaries() {
        return recorders.values().stream().map(EndpointRecorder::summary).toList();
    }
}
