package io.github.xrayworkbook.workbench.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-made trace in the shape a real account's {@code batch-get-traces} returns: two segment
 * documents, as escaped strings, from {@code AWS::Lambda} and {@code AWS::Lambda::Function}, the
 * SDK's S3 call already merged into the function segment.
 */
class RealAccountTraceTest {

    private static final String BATCH_GET_TRACES = """
            {"Traces": [{"Id": "1-6b08e578-c0ca6c6090fa9f1d703a0370", "Duration": 0.5, "LimitExceeded": false,
              "Segments": [
                {"Id": "7f2c1a9d3e4b5c60", "Document": "{\\"id\\":\\"7f2c1a9d3e4b5c60\\",\\"name\\":\\"XRayArticle\\",\\"start_time\\":1795744000.100,\\"trace_id\\":\\"1-6b08e578-c0ca6c6090fa9f1d703a0370\\",\\"end_time\\":1795744000.600,\\"http\\":{\\"response\\":{\\"status\\":200}},\\"aws\\":{\\"request_id\\":\\"3f5b\\"},\\"origin\\":\\"AWS::Lambda\\",\\"resource_arn\\":\\"arn:aws:lambda:eu-west-1:111122223333:function:XRayArticle\\"}"},
                {"Id": "1a2b3c4d5e6f7081", "Document": "{\\"id\\":\\"1a2b3c4d5e6f7081\\",\\"name\\":\\"XRayArticle\\",\\"start_time\\":1795744000.150,\\"trace_id\\":\\"1-6b08e578-c0ca6c6090fa9f1d703a0370\\",\\"end_time\\":1795744000.590,\\"parent_id\\":\\"7f2c1a9d3e4b5c60\\",\\"origin\\":\\"AWS::Lambda::Function\\",\\"subsegments\\":[{\\"id\\":\\"aa00000000000001\\",\\"name\\":\\"Invocation\\",\\"start_time\\":1795744000.160,\\"end_time\\":1795744000.580},{\\"id\\":\\"aa00000000000002\\",\\"name\\":\\"S3\\",\\"start_time\\":1795744000.200,\\"end_time\\":1795744000.300,\\"namespace\\":\\"aws\\",\\"http\\":{\\"response\\":{\\"status\\":200}},\\"aws\\":{\\"operation\\":\\"GetObject\\"}},{\\"id\\":\\"aa00000000000003\\",\\"name\\":\\"Overhead\\",\\"start_time\\":1795744000.580,\\"end_time\\":1795744000.590}]}"}
              ]}], "UnprocessedTraceIds": []}
            """;

    @Test
    void rendersARealAccountsTraceTheSameWay(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("real.json"), BATCH_GET_TRACES);

        List<Trace> traces = TraceFiles.read(file);

        assertThat(traces).hasSize(1);
        Trace trace = traces.get(0);
        assertThat(trace.roots()).extracting(Span::origin).containsExactly("AWS::Lambda");
        Span function = trace.roots().get(0).children().get(0);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.children()).extracting(Span::name).containsExactly("Invocation", "S3", "Overhead");
        assertThat(trace.duration()).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-6));

        String timeline = new TimelineView(false).render(trace);
        assertThat(timeline.lines()).hasSize(2 + 5);
        assertThat(timeline).contains("XRayArticle AWS::Lambda::Function ")
                .contains("    S3 GetObject                                  0.100s    0.100s  OK     |");
        assertThat(new ServiceMap(trace).renderText()).isEqualTo("""
                Client -> XRayArticle (AWS::Lambda)  1 call  OK
                XRayArticle (AWS::Lambda) -> XRayArticle (AWS::Lambda::Function)  1 call  OK
                XRayArticle (AWS::Lambda::Function) -> S3 (AWS::S3)  1 call  OK
                """);
        String svg = MapSvg.render(new ServiceMap(trace));
        assertThat(svg).startsWith("<svg").contains(">AWS::S3</text>");
        assertThat(svg.split("<g class=\"node\">", -1)).hasSize(1 + 4);
        String timelineSvg = TimelineSvg.render(trace);
        assertThat(timelineSvg.split("<g class=\"row ", -1)).hasSize(1 + 5);
        assertThat(timelineSvg).contains(">XRayArticle AWS::Lambda::Function</text>").contains(">0.100 s</text>");
        String html = HtmlPage.render(traces, "real");
        assertThat(html).doesNotContain("http://cdn", "https://").contains("<svg");
        assertThat(html.split("<tr class=\"span ", -1)).hasSize(1 + 5);
    }
}
