package dev.initbench.bench.preflight;

/** The outcome of one preflight check. */
public enum CheckStatus {
    /** Checked and fine. */
    PASS,
    /** Could not be checked, or fine with a caveat: the run goes ahead and says so. */
    WARN,
    /** Checked and short: the run would fail or cost what the user did not expect; nothing is created. */
    FAIL
}
