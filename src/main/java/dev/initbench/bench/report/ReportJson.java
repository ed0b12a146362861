package dev.initbench.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes report.json. */
public final class ReportJson {

    private static final ObjectWriter WRITER = Json.WRITER.withDefaultPrettyPrinter();
    private static final ObjectReader READER = Json.READER.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportJson() {
    }

    public static String toJson(RunReport report) {
        try {
            return WRITER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the run report: " + e.getMessage(), e);
        }
    }

    public static void write(RunReport report, Path file) {
        try {
            Files.writeString(file, toJson(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a report.json, checking its schema version and that each endpoint carries decodable histograms.
     *
     * @throws InvalidReportException naming the file and what is wrong with it
     */
    public static RunReport read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidReportException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidReportException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses report.json content; {@code source} names it in error messages. */
    public static RunReport parse(String text, String source) {
        JsonNode tree;
        try {
            tree = READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidReportException(source + ": not valid JSON (" + e.getOriginalMessage()
                    + "): is it a lambda-init-bench report.json?", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidReportException(source + ": not a JSON object: is it a lambda-init-bench report.json?");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new InvalidReportException(source + ": no \"schemaVersion\": is it a lambda-init-bench report.json?");
        }
        // Older versions lack only what later ones added (3: CPU contention, validity; 4: host load, capacity
        // check): read as "not measured".
        if (version.asInt() < RunReport.OLDEST_READABLE_SCHEMA_VERSION || version.asInt() > RunReport.SCHEMA_VERSION) {
            throw new InvalidReportException(source + ": schemaVersion " + version.asInt() + " is not supported: this"
                    + " build reads schemaVersion " + RunReport.OLDEST_READABLE_SCHEMA_VERSION + " to "
                    + RunReport.SCHEMA_VERSION + " (use the build that wrote it)");
        }
        RunReport report;
        try {
            report = READER.treeToValue(tree, RunReport.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidReportException(source + ": does not match report schema "
                    + RunReport.SCHEMA_VERSION + ": " + e.getMessage(), e);
        }
        validate(report, source);
        return report;
    }

    private static void validate(RunReport report, String source) {
        if (report.target() == null || report.settings() == null) {
            throw new InvalidReportException(source + ": missing \"target\" or \"settings\"");
        }
        if (report.endpoints().isEmpty()) {
            throw new InvalidReportException(source + ": has no endpoints");
        }
        HostLoad host = report.hostLoad();
        if (host != null && host.measured() && (host.load() == null || host.cores() < 1)) {
            throw new InvalidReportException(source + ": \"hostLoad\" is MEASURED but lacks its \"load\" summary or"
                    + " its \"cores\"");
        }
        for (EndpointReport endpoint : report.endpoints()) {
            if (endpoint.name() == null || endpoint.histograms() == null) {
                throw new InvalidReportException(source + ": an endpoint lacks its \"name\" or \"histograms\"");
            }
            try {
                LatencyHistograms.decode(endpoint.histograms().allMicros());
                LatencyHistograms.decode(endpoint.histograms().successMicros());
            } catch (IllegalArgumentException e) {
                throw new InvalidReportException(source + ": endpoint '" + endpoint.name() + "': " + e.getMessage(), e);
            }
        }
    }
}
