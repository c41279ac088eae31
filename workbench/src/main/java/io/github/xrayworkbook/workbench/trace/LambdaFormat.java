package io.github.xrayworkbook.workbench.trace;

import java.util.Locale;

/**
 * Which structure the Lambda service gives the function's segment. AWS's Lambda guide, "Visualize
 * Lambda function invocations using AWS X-Ray"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html), describes both: every
 * commercial region has moved to {@link #CURRENT}; China and GovCloud regions, and traces recorded
 * before the move, show {@link #LEGACY}.
 */
public enum LambdaFormat {

    /**
     * {@code Init} on a cold start, the function's own subsegments directly under the
     * {@code AWS::Lambda::Function} segment, {@code Overhead}, four {@code aws:} annotations with
     * the response latency, response duration, runtime overhead and extension overhead, and the
     * function's log group in {@code aws.cloudwatch_logs}.
     */
    CURRENT,

    /**
     * {@code Initialization} on a cold start, {@code Invocation} holding the function's own
     * subsegments, {@code Overhead}; the function's ARN, account and name in {@code aws}.
     */
    LEGACY;

    /**
     * Reads {@code current} or {@code legacy}.
     *
     * @throws IllegalArgumentException with a one-line reason for anything else
     */
    public static LambdaFormat parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "current" -> CURRENT;
            case "legacy" -> LEGACY;
            default -> throw new IllegalArgumentException("--lambda-format takes current or legacy, not '" + name + "'");
        };
    }
}
