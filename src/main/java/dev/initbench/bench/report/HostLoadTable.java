package dev.initbench.bench.report;

import dev.initbench.bench.stats.HostLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The host's load during a run as the console, summary.md and report.html show it: a heading line (whose host, its
 * cores, the load average before and after) and a table with the whole load and each phase as columns.
 */
final class HostLoadTable {

    private HostLoadTable() {
    }

    /** "host: this host (…), 2 cores; load average 0.52 → 3.10 (1 min)", or why it was not measured. */
    static String heading(HostLoad host) {
        if (!host.measured()) {
            return "host load of " + host.role().description() + ": " + host.summary();
        }
        return String.format(Locale.ROOT, "host load of %s, %d cores, sampled every second: %s",
                host.role().description(), host.cores(), host.summary());
    }

    static List<String> header(HostLoad host) {
        List<String> header = new ArrayList<>();
        header.add("host (" + host.cores() + " cores)");
        header.add("whole load");
        host.phases().forEach(phase -> header.add(phase.name()));
        return header;
    }

    static List<List<String>> rows(HostLoad host) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(host, "busy cores, mean", p -> decimal(p.meanBusyCores(), 2)));
        rows.add(row(host, "busy cores, peak second", p -> decimal(p.peakBusyCores(), 2)));
        rows.add(row(host, "min idle % in a second", p -> decimal(p.minIdlePercent(), 1) + " %"));
        rows.add(row(host, "peak running threads", p -> Integer.toString(p.peakRunningThreads())));
        rows.add(row(host, "busy CPU-s (all processes)", p -> decimal(p.busyCoreSeconds(), 1)));
        rows.add(row(host, "seconds sampled", p -> Integer.toString(p.intervals())));
        return rows;
    }

    private static List<String> row(HostLoad host, String label, Function<HostLoad.PhaseLoad, String> value) {
        List<String> row = new ArrayList<>();
        row.add(label);
        row.add(value.apply(host.load()));
        host.phases().forEach(phase -> row.add(phase.intervals() == 0 ? "—" : value.apply(phase)));
        return row;
    }

    private static String decimal(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
