/** Views of a {@link io.github.xrayworkbook.workbench.trace.Trace}: terminal timeline, service map, HTML page. */
package io.github.xrayworkbook.workbench.view;
