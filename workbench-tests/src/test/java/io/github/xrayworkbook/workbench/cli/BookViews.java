package io.github.xrayworkbook.workbench.cli;

import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.view.MapSvg;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import io.github.xrayworkbook.workbench.view.TimelineSvg;
import io.github.xrayworkbook.workbench.view.TimelineView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the integration tests leave what the book shows: the views of their traces, and tables. */
final class BookViews {

    /** {@code workbench-tests/target/trace-views}, which the book's build reads. */
    static final Path FOLDER = Path.of(System.getProperty("workbench.views"));

    private BookViews() {
    }

    /** The text and SVG timeline and trace map of a run's trace, as NAME-timeline.txt and the like. */
    static void keep(String name, Trace trace) throws IOException {
        Files.createDirectories(FOLDER);
        Files.writeString(FOLDER.resolve(name + "-timeline.txt"), new TimelineView(false, TimelineView.BOOK_COLUMNS).render(trace));
        Files.writeString(FOLDER.resolve(name + "-map.txt"), new ServiceMap(trace).renderText(TimelineView.BOOK_COLUMNS));
        Files.writeString(FOLDER.resolve(name + "-map.svg"), MapSvg.render(new ServiceMap(trace)));
        Files.writeString(FOLDER.resolve(name + "-timeline.svg"), TimelineSvg.render(trace));
    }

    /** The map of traces joined by links, as NAME-linked-map.txt and NAME-linked-map.svg. */
    static void keepLinked(String name, java.util.List<Trace> traces) throws IOException {
        Files.createDirectories(FOLDER);
        ServiceMap map = new ServiceMap(traces);
        Files.writeString(FOLDER.resolve(name + "-linked-map.txt"), map.renderText(TimelineView.BOOK_COLUMNS));
        Files.writeString(FOLDER.resolve(name + "-linked-map.svg"), MapSvg.render(map));
    }

    /** A file the book includes, such as a table of measurements. */
    static Path write(String file, String content) throws IOException {
        Files.createDirectories(FOLDER);
        return Files.writeString(FOLDER.resolve(file), content);
    }
}
