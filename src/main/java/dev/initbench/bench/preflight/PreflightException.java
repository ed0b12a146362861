package dev.initbench.bench.preflight;

/** The preflight found something short; nothing was created. The message is the whole report. */
public final class PreflightException extends RuntimeException {

    private final transient PreflightReport report;

    public PreflightException(PreflightReport report) {
        super(report.describe());
        this.report = report;
    }

    public PreflightReport report() {
        return report;
    }
}
