package io.github.xrayworkbook.local.xray;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

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

    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern ENTITY = Pattern.compile("[0-9a-f]{16}");

    /**
     * A header as a caller or a message carries it: the root always, the parent and the sampling
     * decision when the sender made them ({@code Sampled=?} leaves the decision to the receiver).
     * Other fields, such as {@code Lineage} or {@code Self}, are passed over.
     */
    public record Received(String root, Optional<String> parent, Optional<Boolean> sampled) {

        /** The header a receiver that records its own segment {@code id} passes on. */
        public TraceHeader under(String id, boolean decided) {
            return new TraceHeader(root, id, sampled.orElse(decided));
        }
    }

    /**
     * Reads an {@code X-Amzn-Trace-Id} header or an SQS message's {@code AWSTraceHeader}, e.g.
     * {@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Received parse(String header) {
        String root = null;
        Optional<String> parent = Optional.empty();
        Optional<Boolean> sampled = Optional.empty();
        for (String field : header.trim().split("\\s*;\\s*")) {
            int equals = field.indexOf('=');
            String key = equals < 0 ? field : field.substring(0, equals);
            String value = equals < 0 ? "" : field.substring(equals + 1);
            switch (key) {
                case "Root" -> {
                    if (!ROOT.matcher(value).matches()) {
                        throw new IllegalArgumentException("'" + header + "' is not a trace header: its Root must be"
                                + " 1-<8 hex digits>-<24 hex digits>, not '" + value + "'");
                    }
                    root = value;
                }
                case "Parent" -> {
                    if (!ENTITY.matcher(value).matches()) {
                        throw new IllegalArgumentException("'" + header + "' is not a trace header: its Parent must be"
                                + " 16 hex digits, not '" + value + "'");
                    }
                    parent = Optional.of(value);
                }
                case "Sampled" -> sampled = switch (value) {
                    case "1" -> Optional.of(true);
                    case "0" -> Optional.of(false);
                    case "?", "" -> Optional.empty();
                    default -> throw new IllegalArgumentException("'" + header + "' is not a trace header: Sampled"
                            + " must be 1, 0 or ?, not '" + value + "'");
                };
                default -> {
                    // Lineage, Self and fields to come: not this workbench's business.
                }
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("'" + header + "' is not a trace header: it has no Root=1-...");
        }
        return new Received(root, parent, sampled);
    }

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
