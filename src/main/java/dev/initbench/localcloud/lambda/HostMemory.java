package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This host's available memory as the kernel estimates it ({@code MemAvailable} in {@code /proc/meminfo}: free
 * memory plus what can be reclaimed without swapping): what the {@link HostMemoryGuard} checks every environment
 * start against, and the benchmark's preflight a scenario's planned peak.
 */
public final class HostMemory {

    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Pattern MEM_AVAILABLE = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB$");

    private HostMemory() {
    }

    /**
     * MemAvailable in MB, read anew on each call (a few microseconds); empty where the file or the field is missing
     * (not Linux, kernels before 3.14).
     */
    public static OptionalLong availableMb() {
        try {
            return availableMb(Files.readString(MEMINFO));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** MemAvailable in MB of a {@code /proc/meminfo} text; empty when it has none. */
    static OptionalLong availableMb(String meminfo) {
        Matcher matcher = MEM_AVAILABLE.matcher(meminfo);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1)) / 1024) : OptionalLong.empty();
    }

    /** Where it is read from, for messages. */
    public static Path source() {
        return MEMINFO;
    }
}
