package dev.initbench.bench.deploy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifies one benchmark run: {@code yyyyMMdd-HHmmss-xxxx} (UTC, lower case), usable in stack and bucket names
 * and report folders, sortable by start time.
 */
public record RunId(String value, Instant startedAt) {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    public static RunId next() {
        Instant now = Instant.now();
        return new RunId(FORMAT.format(now) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)), now);
    }

    @Override
    public String toString() {
        return value;
    }
}
