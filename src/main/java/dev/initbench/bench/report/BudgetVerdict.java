package dev.initbench.bench.report;

import java.util.Objects;

/**
 * One budget and how the run fared against it, as the caller decided it; reports show these as given.
 *
 * @param name     what is budgeted, e.g. "eager p99 below lazy p99"
 * @param expected the budget, e.g. "< 412.0 ms"
 * @param actual   the measured value, e.g. "35.2 ms"
 * @param passed   whether the run kept the budget
 */
public record BudgetVerdict(String name, String expected, String actual, boolean passed) {
    public BudgetVerdict {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }
}
