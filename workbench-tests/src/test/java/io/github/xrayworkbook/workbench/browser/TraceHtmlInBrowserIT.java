package io.github.xrayworkbook.workbench.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.junit.HeadlessChromium;
import io.github.xrayworkbook.workbench.cli.WorkbenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the trace page of a real step-3 run in headless Chromium: the page must draw one timeline
 * row per segment and subsegment and the map, and its rows and tabs must respond to clicks. A
 * script appended to a copy of the page does the clicking and writes what it saw into the DOM,
 * which Chromium dumps. A screenshot of the page is kept with the build's trace views.
 */
class TraceHtmlInBrowserIT {

    private static final Path ROOT = Path.of(System.getProperty("workbook.root"));
    private static final Path VIEWS = Path.of(System.getProperty("workbench.views"));

    private static final String SELF_TEST = """
            <script>
            (function () {
              var result = {};
              var rows = Array.prototype.slice.call(document.querySelectorAll('tr.span'));
              result.names = rows.map(function (row) { return row.cells[0].textContent.trim(); });
              var row = rows.filter(function (r) { return r.cells[0].textContent.indexOf('Throwing exception') >= 0; })[0];
              var details = document.getElementById(row.dataset.details);
              result.hiddenBefore = details.hidden;
              row.click();
              result.hiddenAfter = details.hidden;
              details.querySelector('button[data-tab="Annotations"]').click();
              result.annotationsTab = details.querySelector('.pane.active').dataset.tab;
              result.annotations = details.querySelector('.pane.active').textContent;
              details.querySelector('button[data-tab="Exceptions"]').click();
              result.exceptions = details.querySelector('.pane.active').textContent;
              result.activePanes = details.querySelectorAll('.pane.active').length;
              result.mapNodes = document.querySelectorAll('svg.service-map .node').length;
              var out = document.createElement('pre');
              out.id = 'self-test';
              out.textContent = JSON.stringify(result);
              document.body.appendChild(out);
            })();
            </script>
            """;

    @TempDir
    Path dir;

    @Test
    void theTracePageDrawsEveryRowAndItsTabsRespond() throws Exception {
        int exit = WorkbenchCommand.execute(new String[] {"run", "step-3", "--root", ROOT.toString(),
                "--out", dir.toString(), "--color", "never", "--quiet",
                "--timeout", "120"},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(exit).isZero();
        Path page = dir.resolve("trace.html");
        String html = Files.readString(page);
        Path selfTest = Files.writeString(dir.resolve("self-test.html"), html.replace("</body>", SELF_TEST + "</body>"));

        HeadlessChromium chromium = new HeadlessChromium(dir);
        String dom = chromium.dumpDom(selfTest);
        Matcher matcher = Pattern.compile("<pre id=\"self-test\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(matcher.find()).as("the self-test ran in the browser; DOM:\n" + dom).isTrue();
        JsonNode result = new ObjectMapper().readTree(matcher.group(1).replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&"));

        List<String> names = new ArrayList<>();
        result.path("names").forEach(name -> names.add(name.asText()));
        assertThat(names).hasSize(7);
        assertThat(names.get(0)).startsWith("xray-workbook-step-3 AWS::Lambda");
        assertThat(names.get(1)).startsWith("xray-workbook-step-3 AWS::Lambda::Function");
        assertThat(names.subList(2, 7)).containsExactly(
                "Init emulated", "S3", "S3 AWS::S3::Bucket emulated", "Throwing exception", "Overhead emulated");
        assertThat(result.path("hiddenBefore").asBoolean()).isTrue();
        assertThat(result.path("hiddenAfter").asBoolean()).isFalse();
        assertThat(result.path("annotationsTab").asText()).isEqualTo("Annotations");
        assertThat(result.path("annotations").asText())
                .contains("\"very_important_annotation\" : \"Very very important information\"");
        assertThat(result.path("exceptions").asText()).contains("\"message\" : \"Information\"");
        assertThat(result.path("activePanes").asInt()).isEqualTo(1);
        assertThat(result.path("mapNodes").asInt()).isEqualTo(4);

        // One more start of the browser, for the book's screenshot and, while the page loads, its requests.
        Files.createDirectories(VIEWS);
        Path screenshot = VIEWS.resolve("step-3-trace-page.png");
        assertThat(chromium.screenshotAndRequestsLeavingItsFolder(page, screenshot, 1400, 900))
                .as("trace.html opens with no network").isEmpty();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
