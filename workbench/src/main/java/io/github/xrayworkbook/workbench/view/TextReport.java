package io.github.xrayworkbook.workbench.view;

import io.github.xrayworkbook.workbench.trace.Trace;

/** What a terminal shows of one trace: the timeline, then the trace map. */
public final class TextReport {

    private TextReport() {
    }

    public static String render(Trace trace, boolean colour) {
        return new TimelineView(colour).render(trace) + "\n" + new ServiceMap(trace).renderText() + "\n";
    }
}
