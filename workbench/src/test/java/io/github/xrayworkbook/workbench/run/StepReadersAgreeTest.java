package io.github.xrayworkbook.workbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one list of steps is read twice: by the workbench ({@link Step}) and by the scripts
 * ({@code step_modules}, {@code pom_property}, {@code pom_flag} and {@code resolve_step} in
 * {@code scripts/lib/common.sh}). This runs both over the workbook's step modules and over tricky
 * ones, and fails where they answer differently: which folders are steps, in which order, and
 * what each property of each POM holds. One bash process per workbook, not per property.
 */
class StepReadersAgreeTest {

    private static final Path WORKBOOK = Workbook.locate();

    /** The properties a step's POM may set, asked of the scripts even where a POM sets none. */
    private static final List<String> STEP_PROPERTIES = List.of("lambda.handler", "workbook.reads-s3",
            "workbook.fails-on-purpose", "workbook.opentelemetry-layer", "workbook.snapstart", "workbook.rest-api",
            "workbook.queue-handler");

    /**
     * For each step module, in the scripts' order, what resolve_step sets and each property's
     * value, as NUL-terminated triples: module, name, value.
     */
    private static final String SCRIPTS_READER = """
            set -euo pipefail
            source "$1"
            WORKBOOK_ROOT="$2"
            shift 2
            out() { printf '%s\\0%s\\0%s\\0' "$MODULE" "$1" "$2"; }
            for module in $(step_modules); do
              resolve_step "$module"
              out STEP "$STEP"
              out FUNCTION_NAME "$FUNCTION_NAME"
              out HANDLER "$HANDLER"
              out READS_S3 "$READS_S3"
              out FAILS_ON_PURPOSE "$(pom_flag "$MODULE" workbook.fails-on-purpose)"
              out OPENTELEMETRY_LAYER "$OPENTELEMETRY_LAYER"
              out SNAPSTART "$SNAPSTART"
              out PACKAGE "$PACKAGE"
              out REST_API "${REST_API_METHOD:+$REST_API_METHOD $REST_API_PATH}"
              out QUEUE_HANDLER "$QUEUE_HANDLER"
              out QUEUE_FUNCTION_NAME "${QUEUE_HANDLER:+$QUEUE_FUNCTION_NAME}"
              for name in "$@"; do
                value="$(pom_property "$MODULE" "$name")"
                out "$name" "$value"
              done
            done
            """;

    @BeforeAll
    static void bashIsThere() {
        boolean found;
        try {
            found = new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0;
        } catch (IOException e) {
            found = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            found = false;
        }
        assumeTrue(found, "no bash on the PATH: the scripts' reader cannot run here");
    }

    @Test
    void theScriptsReadEveryStepModuleOfTheWorkbookAsTheWorkbenchDoes() throws Exception {
        assertThat(Step.all(WORKBOOK)).hasSizeGreaterThanOrEqualTo(6);

        assertThat(scripts(WORKBOOK)).containsExactlyElementsOf(workbench(WORKBOOK));
    }

    @Test
    void commentsProfilesOrderLinesEntitiesAndFolderNamesFoolNeither(@TempDir Path workbook) throws Exception {
        pom(workbook, "step-7-tricky", TRICKY_POM);
        pom(workbook, "step-2-crlf", "\uFEFF<?xml version=\"1.0\"?>\r\n<project>\r\n  <properties>\r\n"
                + "    <lambda.handler>\r\n      crlf.Handler::handleRequest\r\n    </lambda.handler>\r\n"
                + "    <workbook.reads-s3>True</workbook.reads-s3>\r\n  </properties>\r\n</project>\r\n");
        pom(workbook, "step-12-one-line", "<project><properties><lambda.handler>a.B::handleRequest"
                + "</lambda.handler><workbook.snapstart>yes</workbook.snapstart></properties></project>");
        for (String notAStep : List.of("step-8-Upper", "step-09-leading-zero", "step-10-a.b", "step-11-under_score",
                "step-x-letters", "step-13-", "steps-14-plural")) {
            pom(workbook, notAStep, "<project><properties><lambda.handler>not.A::step</lambda.handler></properties></project>");
        }
        Files.createDirectories(workbook.resolve("step-15-no-pom"));

        List<Step> steps = Step.all(workbook);
        assertThat(steps).extracting(Step::module).containsExactly("step-2-crlf", "step-7-tricky", "step-12-one-line");
        assertThat(steps.get(0)).isEqualTo(new Step(2, "step-2-crlf", "crlf.Handler::handleRequest", true, false, false, false));
        assertThat(steps.get(1)).isEqualTo(new Step(7, "step-7-tricky", "tricky.Handler::handleRequest", true, true, false,
                true, java.util.Optional.of(new Step.Route("POST", "/a/b")), java.util.Optional.of("queue.Handler::handleRequest")));
        assertThat(Step.properties(workbook.resolve("step-7-tricky/pom.xml")))
                .containsEntry("multi.line", "first\n      second")
                .containsEntry("entity.value", "a <b> & \u00e9 A \"q\" ' \u20ac")
                .containsEntry("cdata.value", "x <y> & z")
                .containsEntry("workbook.opentelemetry-layer", "");

        assertThat(scripts(workbook)).containsExactlyElementsOf(workbench(workbook));
    }

    @Test
    void aPomTheWorkbenchCannotReadIsOneTheScriptsRefuseToo(@TempDir Path workbook) throws Exception {
        String body = "<properties><lambda.handler>a.B::handleRequest</lambda.handler></properties>";
        List<String> broken = List.of(
                "<project>" + body + "<!-- never closed </project>",
                "<project>" + body + "</projects>",
                "<project>" + body + "<name>a &nbsp; b</name></project>",
                "<?xml version=\"1.0\"?><!DOCTYPE project []><project>" + body + "</project>",
                "<project>" + body + "</project><project/>");
        for (String pom : broken) {
            Path module = pom(workbook, "step-1-broken", pom);

            assertThatThrownBy(() -> Step.read(module)).as(pom).hasMessageContaining("is not a readable POM");
            Result result = bash(workbook, List.of());
            assertThat(result.status()).as(pom).isNotZero();
            assertThat(result.errors()).as(pom).contains("step-1-broken/pom.xml is not a readable POM");
        }
    }

    /** What the workbench reads, one line per step and value. */
    private static List<String> workbench(Path root) {
        List<Step> steps = Step.all(root);
        List<String> lines = new ArrayList<>();
        for (Step step : steps) {
            String m = step.module() + " ";
            lines.add(m + "STEP=" + step.shortName());
            lines.add(m + "FUNCTION_NAME=" + step.functionName());
            lines.add(m + "HANDLER=" + step.handler());
            lines.add(m + "READS_S3=" + step.readsS3());
            lines.add(m + "FAILS_ON_PURPOSE=" + step.failsOnPurpose());
            lines.add(m + "OPENTELEMETRY_LAYER=" + step.openTelemetryLayer());
            lines.add(m + "SNAPSTART=" + step.snapStart());
            lines.add(m + "PACKAGE=" + step.deploymentPackage(root));
            lines.add(m + "REST_API=" + step.restApi().map(Step.Route::toString).orElse(""));
            lines.add(m + "QUEUE_HANDLER=" + step.queueHandler().orElse(""));
            lines.add(m + "QUEUE_FUNCTION_NAME=" + step.queueHandler().map(h -> step.queueFunctionName()).orElse(""));
            Map<String, String> properties = Step.properties(root.resolve(step.module()).resolve("pom.xml"));
            for (String name : propertyNames(root)) {
                lines.add(m + name + "=" + properties.getOrDefault(name, "").trim());
            }
        }
        return lines;
    }

    /** What the scripts read, in the same lines. */
    private static List<String> scripts(Path root) throws Exception {
        Result result = bash(root, propertyNames(root));
        assertThat(result.status()).as("the scripts' reader failed: %s", result.errors()).isZero();
        String[] fields = result.output().split("\0", -1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i + 2 < fields.length; i += 3) {
            lines.add(fields[i] + " " + fields[i + 1] + "=" + fields[i + 2]);
        }
        return lines;
    }

    /** The step properties and every property any step's POM sets. */
    private static List<String> propertyNames(Path root) {
        TreeSet<String> names = new TreeSet<>(STEP_PROPERTIES);
        for (Step step : Step.all(root)) {
            names.addAll(Step.properties(root.resolve(step.module()).resolve("pom.xml")).keySet());
        }
        return List.copyOf(names);
    }

    private record Result(int status, String output, String errors) {
    }

    private static Result bash(Path root, List<String> names) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", SCRIPTS_READER, "bash",
                WORKBOOK.resolve("scripts/lib/common.sh").toString(), root.toString()));
        command.addAll(names);
        Path errors = Files.createTempFile("step-readers", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bash answered within a minute").isTrue();
            return new Result(process.exitValue(), output, Files.readString(errors));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static Path pom(Path workbook, String module, String content) throws IOException {
        Path folder = Files.createDirectories(workbook.resolve(module));
        Files.writeString(folder.resolve("pom.xml"), content);
        return folder;
    }

    /**
     * A POM that a first-match line reader gets wrong: the property names in comments and a
     * description, a profile with other values ahead of the project's own properties, the
     * properties in another order, values over several lines, in any case, split by a comment,
     * self-closed, with entities, CDATA and a {@code >} in an attribute.
     */
    private static final String TRICKY_POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- <properties><lambda.handler>comment.Before::handleRequest</lambda.handler></properties> -->
            <project xmlns="http://maven.apache.org/POM/4.0.0"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
              <modelVersion>4.0.0</modelVersion>
              <artifactId>step-7-tricky</artifactId>
              <description><![CDATA[Not this: <lambda.handler>cdata.Description::handleRequest</lambda.handler>]]></description>
              <profiles>
                <profile>
                  <id>other</id>
                  <properties>
                    <lambda.handler>profile.Handler::handleRequest</lambda.handler>
                    <workbook.snapstart>false</workbook.snapstart>
                    <workbook.reads-s3>false</workbook.reads-s3>
                    <workbook.opentelemetry-layer>true</workbook.opentelemetry-layer>
                  </properties>
                </profile>
              </profiles>
              <properties>
                <!-- <workbook.reads-s3>false</workbook.reads-s3>, the old value -->
                <workbook.snapstart>
                  TRUE
                </workbook.snapstart>
                <workbook.reads-s3 >true</workbook.reads-s3 >
                <workbook.fails-on-purpose>tr<!-- split by a comment -->ue</workbook.fails-on-purpose>
                <workbook.opentelemetry-layer/>
                <workbook.rest-api>
                  POST	/a/b
                </workbook.rest-api>
                <workbook.queue-handler> queue.Handler::handleRequest </workbook.queue-handler>
                <lambda.handler note="a > b, 'quoted'">
                  tricky.Handler::handleRequest
                </lambda.handler>
                <multi.line>first
                  second</multi.line>
                <entity.value>a &lt;b&gt; &amp; &#233; &#x41; &quot;q&quot; &apos; &#x20AC;</entity.value>
                <cdata.value><![CDATA[x <y> & z]]></cdata.value>
                <nested.value><inner>in</inner>side</nested.value>
                <set.twice>first</set.twice>
                <set.twice>second</set.twice>
              </properties>
              <build>
                <plugins>
                  <plugin>
                    <artifactId>maven-surefire-plugin</artifactId>
                    <configuration>
                      <properties><workbook.snapstart>false</workbook.snapstart></properties>
                    </configuration>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;
}
