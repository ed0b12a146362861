package dev.initbench.bench.preflight;

import java.util.List;
import java.util.stream.Collectors;

/** Every preflight check, in the order they ran. */
public record PreflightReport(List<PreflightCheck> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed (warnings do not stop a run). */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
    }

    public List<PreflightCheck> failures() {
        return checks.stream().filter(c -> c.status() == CheckStatus.FAIL).toList();
    }

    /** The report for the console: one block per check, the fix under it. */
    public String describe() {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        String body = checks.stream().map(c -> String.format("  %-4s %-" + width + "s  %s%s", c.status(), c.name(),
                        c.detail(), c.fix().map(f -> "\n       " + " ".repeat(width) + "  fix: " + f).orElse("")))
                .collect(Collectors.joining("\n"));
        return "preflight (creates nothing): " + (passed() ? "passed" : failures().size() + " check(s) failed")
                + "\n" + body;
    }
}
