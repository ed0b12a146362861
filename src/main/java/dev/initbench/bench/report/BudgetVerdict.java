package dev.initbench.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One budget and how the run fared against it, as the caller decided it; reports show these as given.
 *
 * @param budget   what is budgeted
 * @param expected the budget, e.g. "< 412.0 ms"
 * @param actual   the measured value, e.g. "35.2 ms"
 * @param passed   whether the run kept the budget
 */
public record BudgetVerdict(Budget budget, String expected, String actual, boolean passed) {
    public BudgetVerdict {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }

    /** The budget's display name, written into report.json for people reading it (never read back). */
    @JsonProperty(value = "name", access = JsonProperty.Access.READ_ONLY)
    public String displayName() {
        return budget.displayName();
    }
}
