package dev.initbench.bench.stats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The latency histograms' shape and encoding: values in microseconds from 1 µs to 60 s with 3 significant digits
 * (0.1 % resolution); encoded as HdrHistogram's compressed form in base64 in report.json.
 */
public final class LatencyHistograms {

    public static final long LOWEST_MICROS = 1;
    public static final long HIGHEST_MICROS = 60_000_000;
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms() {
    }

    public static Histogram newHistogram() {
        return new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Records a latency in nanoseconds, clamped to the tracked range (a run's latencies stay under 60 s + margin). */
    public static void recordNanos(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(LOWEST_MICROS, Math.min(HIGHEST_MICROS, nanos / 1000)));
    }

    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** Decodes {@link #encode}'s output; fails with a message naming what is wrong. */
    public static Histogram decode(String base64) {
        if (base64 == null || base64.isEmpty()) {
            throw new IllegalArgumentException("histogram is missing: expected HdrHistogram compressed base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("histogram is not valid base64: " + e.getMessage(), e);
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), HIGHEST_MICROS);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("histogram is not a valid HdrHistogram compressed encoding: " + e, e);
        }
    }
}
