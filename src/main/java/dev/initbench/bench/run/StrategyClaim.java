package dev.initbench.bench.run;

import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.report.Budget;
import java.util.List;

/**
 * A claim the benchmark asserts when both its strategies are deployed: the faster one's steady p99 is below the
 * slower one's. Only pairs with evidence for an order are claims; every other pair (async-init against the rest,
 * Java against Node.js) is reported side by side without a verdict.
 *
 * @param budget the verdict it decides
 * @param faster the strategy claimed to have the lower p99
 * @param slower the strategy it is compared with
 */
public record StrategyClaim(Budget budget, Strategy faster, Strategy slower) {

    /** Every claim the benchmark knows. */
    public static final List<StrategyClaim> ALL = List.of(
            // Provisioned init runs eager's fetch ahead of traffic; lazy's first requests pay it.
            new StrategyClaim(Budget.EAGER_BELOW_LAZY, Strategy.EAGER, Strategy.LAZY),
            // Top-level await finishes the fetch inside init; cjs's promise is frozen with the environment after it.
            new StrategyClaim(Budget.ESM_BELOW_CJS, Strategy.ESM, Strategy.CJS));

    /** The claims whose two strategies are both selected. */
    public static List<StrategyClaim> applicableTo(List<Strategy> selected) {
        return ALL.stream().filter(claim -> selected.contains(claim.faster()) && selected.contains(claim.slower()))
                .toList();
    }
}
