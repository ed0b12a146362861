package dev.initbench.bench.cli;

import dev.initbench.bench.compare.ComparisonResult;
import dev.initbench.bench.compare.ReportComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Decides whether a run regressed against a baseline run. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares a run's report.json with a baseline's, per endpoint and percentile.",
                "A percentile regressed when it grew by more than the threshold AND the bootstrap confidence"
                        + " interval of the difference (resampled from the recorded histograms) lies wholly above it.",
                "Exit status: 0 no regression, 1 regression, 2 invalid input (unreadable or incomparable reports)."},
        exitCodeOnInvalidInput = 2)
public final class CompareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASELINE", description = "The baseline run's report.json.")
    private Path baseline;

    @Parameters(index = "1", paramLabel = "CURRENT", description = "The current run's report.json.")
    private Path current;

    @Option(names = "--threshold", defaultValue = "0.10",
            description = "Relative growth that counts as a regression, e.g. 0.10 for 10 %% (default: ${DEFAULT-VALUE}).")
    private double threshold;

    @Option(names = "--confidence", defaultValue = "0.95",
            description = "Confidence level of the bootstrap interval, between 0.5 and 0.999 (default: ${DEFAULT-VALUE}).")
    private double confidence;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the comparison as Markdown here.")
    private Path markdown;

    @Override
    public Integer call() throws IOException {
        ReportComparator comparator;
        try {
            comparator = ReportComparator.builder().threshold(threshold).confidence(confidence).build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ComparisonResult result = comparator.compare(baseline, current);
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().flush();
        if (markdown != null) {
            Files.writeString(markdown, result.markdown());
        }
        return result.exitCode();
    }
}
