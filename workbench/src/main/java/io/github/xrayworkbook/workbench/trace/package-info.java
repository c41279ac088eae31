/**
 * One model of a trace: segments and subsegments as a tree of {@link
 * io.github.xrayworkbook.workbench.trace.Span}s, built from segment documents, whether the
 * workbench assembled them or {@code aws xray batch-get-traces} returned them.
 */
package io.github.xrayworkbook.workbench.trace;
