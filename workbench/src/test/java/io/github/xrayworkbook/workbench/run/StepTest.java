package io.github.xrayworkbook.workbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepTest {

    /** The workbook this module is built in: surefire runs in workbench/. */
    private static final Path WORKBOOK = Path.of("").toAbsolutePath().getParent();

    @Test
    void everyStepModuleOfTheWorkbookIsAStepWithItsDeclaredHandler() throws IOException {
        List<String> modules;
        try (Stream<Path> folders = Files.list(WORKBOOK)) {
            modules = folders.map(folder -> folder.getFileName().toString())
                    .filter(name -> name.matches("step-[0-9]+-.+")).sorted().toList();
        }

        List<Step> steps = Step.all(WORKBOOK);

        assertThat(steps).extracting(Step::module).containsExactlyInAnyOrderElementsOf(modules);
        assertThat(steps).extracting(Step::handler).allMatch(handler -> handler.matches("[\\w.]+::handleRequest"));
        Step one = Step.parse("step-1", WORKBOOK);
        assertThat(one.readsS3()).isFalse();
        assertThat(one.failsOnPurpose()).isFalse();
        assertThat(Step.parse("3", WORKBOOK).failsOnPurpose()).isTrue();
        assertThat(Step.parse("step-2-s3-patched", WORKBOOK).readsS3()).isTrue();
        Step seven = Step.parse("step-7", WORKBOOK);
        assertThat(seven.restApi()).contains(new Step.Route("POST", "/messages"));
        assertThat(seven.queueHandler()).contains("io.github.xrayworkbook.step7.QueueHandler::handleRequest");
        assertThat(seven.queueFunctionName()).isEqualTo("xray-workbook-step-7-queue");
        assertThat(one.restApi()).isEmpty();
        assertThat(one.queueHandler()).isEmpty();
    }

    @Test
    void aRouteThatIsNotAMethodAndAPathIsRefusedNamingThePom(@TempDir Path workbook) throws IOException {
        module(workbook, "step-3-api", """
                <lambda.handler>a.B::handleRequest</lambda.handler>
                <workbook.rest-api>/messages</workbook.rest-api>
                """);

        assertThatThrownBy(() -> Step.all(workbook)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step-3-api/pom.xml: <workbook.rest-api> must be a method and a path, e.g. POST /messages,"
                        + " not '/messages'");
    }

    @Test
    void aNewModuleWithTheDeclaredSettingsIsPickedUpWithNoOtherChange(@TempDir Path workbook) throws IOException {
        module(workbook, "step-1-blank", "<lambda.handler>a.B::handleRequest</lambda.handler>");
        module(workbook, "step-12-demo", """
                <lambda.handler>demo.Handler::handleRequest</lambda.handler>
                <workbook.reads-s3>true</workbook.reads-s3>
                <workbook.opentelemetry-layer>true</workbook.opentelemetry-layer>
                <workbook.snapstart> true </workbook.snapstart>
                """);
        Files.createDirectories(workbook.resolve("step-x-notastep"));

        Step demo = Step.parse("step-12", workbook);

        assertThat(Step.all(workbook)).extracting(Step::shortName).containsExactly("step-1", "step-12");
        assertThat(demo).isEqualTo(new Step(12, "step-12-demo", "demo.Handler::handleRequest", true, false, true, true));
        assertThat(demo.functionName()).isEqualTo("xray-workbook-step-12");
        assertThat(demo.deploymentPackage(workbook))
                .isEqualTo(workbook.resolve("step-12-demo/target/step-12-demo-lambda.jar"));
        assertThatThrownBy(() -> Step.parse("step-9", workbook))
                .hasMessage("Unknown step 'step-9': choose step-1, step-12");
    }

    @Test
    void aStepWithoutAHandlerOrAFolderWithoutStepsIsOneClearLine(@TempDir Path workbook) throws IOException {
        assertThatThrownBy(() -> Step.parse("step-1", workbook))
                .hasMessage(workbook + " holds no step-N-* module: run from the workbook, or pass --root");
        module(workbook, "step-1-blank", "<other>x</other>");
        assertThatThrownBy(() -> Step.parse("step-1", workbook))
                .hasMessage("step-1-blank/pom.xml names no <lambda.handler>");
    }

    private static void module(Path workbook, String name, String properties) throws IOException {
        Path module = Files.createDirectories(workbook.resolve(name));
        Files.writeString(module.resolve("pom.xml"), """
                <project><artifactId>%s</artifactId><properties>%s</properties></project>
                """.formatted(name, properties));
    }
}
