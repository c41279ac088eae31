package io.github.xrayworkbook.local.xray;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The {@code X-Amzn-Trace-Id} value Lambda gives each invocation: the trace's root id, the id of
 * the Lambda segment that becomes the function's parent, and the sampling decision.
 *
 * @param root trace id, {@code 1-<8 hex digits of epoch seconds>-<24 hex digits>}
 * @param parent 16 hex digits
 * @param sampled whether the SDK should send anything
 */
public record TraceHeader(String root, String parent, boolean sampled) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /** A new trace that starts now, with a fresh parent id. */
    public static TraceHeader newTrace(boolean sampled) {
        return new TraceHeader(newTraceId(Instant.now()), newEntityId(), sampled);
    }

    public static String newTraceId(Instant start) {
        return "1-%08x-%s".formatted(start.getEpochSecond(), HEX.formatHex(randomBytes(12)));
    }

    /** A segment, subsegment or exception id: 64 random bits as 16 hex digits. */
    public static String newEntityId() {
        return HEX.formatHex(randomBytes(8));
    }

    /** The header as Lambda writes it, e.g. {@code Root=1-...;Parent=...;Sampled=1}. */
    @Override
    public String toString() {
        return "Root=%s;Parent=%s;Sampled=%d".formatted(root, parent, sampled ? 1 : 0);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
