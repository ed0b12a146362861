package dev.initbench.bench.report;

/** A report.json that cannot be used: unreadable, not JSON, an unknown schema version, or missing content. */
public final class InvalidReportException extends RuntimeException {
    public InvalidReportException(String message) {
        super(message);
    }

    public InvalidReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
