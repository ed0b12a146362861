package dev.initbench.bench.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a benchmark runs. */
public enum TargetKind {
    /** The embedded local cloud on loopback (the default). */
    LOCAL,
    /** Real AWS, with credentials and region from the default chains. Never used unless asked for. */
    AWS;

    /** The name used in config files, system properties and the CLI. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TargetKind fromId(String id) {
        for (TargetKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.trim())) {
                return kind;
            }
        }
        throw new ConfigException("unknown target '" + id + "': allowed values are "
                + Arrays.stream(values()).map(TargetKind::id).collect(Collectors.joining(", ")));
    }
}
