package io.github.xrayworkbook.workbench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * One step of the workbook, as its module's POM declares it. The list of steps is the workbook's
 * {@code step-N-NAME} modules; the workbench, the scripts and the benchmarks all read it from the
 * POMs, so adding a step means adding a module. The properties a step's POM sets:
 *
 * <ul>
 *   <li>{@code lambda.handler}: the handler, {@code CLASS::METHOD} (required);</li>
 *   <li>{@code workbook.reads-s3}: {@code true} if the function reads {@code sample_data.json}
 *       from the bucket in {@code BUCKET_NAME};</li>
 *   <li>{@code workbook.fails-on-purpose}: {@code true} if every invocation ends in
 *       {@code RuntimeException: Information}, as the book explains;</li>
 *   <li>{@code workbook.opentelemetry-layer}: {@code true} if the function runs with AWS's
 *       OpenTelemetry Lambda layer, whose Java agent traces it;</li>
 *   <li>{@code workbook.snapstart}: {@code true} if the function is deployed with SnapStart;</li>
 *   <li>{@code workbook.rest-api}: the method and path of the one route, e.g. {@code POST /messages},
 *       of an API Gateway REST API whose proxy events the function answers: callers reach it over
 *       HTTP, not with an invoke;</li>
 *   <li>{@code workbook.queue-handler}: the handler of a second function, in the same package,
 *       that Lambda invokes with the messages the first sends to the queue in {@code QUEUE_URL}
 *       (an SQS event source mapping). It reads S3 when the step does;</li>
 *   <li>{@code workbook.compare-handlers}: other handlers in the package, separated by blanks,
 *       that {@code workbench run} runs after the step's own with the same invocations, to show
 *       the traces the step's handler sets right.</li>
 * </ul>
 *
 * @param number the N of {@code step-N}
 * @param module the module's folder, e.g. {@code step-2-s3-patched}
 */
public record Step(int number, String module, String handler, boolean readsS3, boolean failsOnPurpose,
                   boolean openTelemetryLayer, boolean snapStart, Optional<Route> restApi,
                   Optional<String> queueHandler, List<String> compareHandlers) {

    /** A step of one function, invoked directly. */
    public Step(int number, String module, String handler, boolean readsS3, boolean failsOnPurpose,
                boolean openTelemetryLayer, boolean snapStart) {
        this(number, module, handler, readsS3, failsOnPurpose, openTelemetryLayer, snapStart, Optional.empty(),
                Optional.empty());
    }

    /** A step with nothing to compare its handler with. */
    public Step(int number, String module, String handler, boolean readsS3, boolean failsOnPurpose,
                boolean openTelemetryLayer, boolean snapStart, Optional<Route> restApi, Optional<String> queueHandler) {
        this(number, module, handler, readsS3, failsOnPurpose, openTelemetryLayer, snapStart, restApi, queueHandler,
                List.of());
    }

    /** The one route of a step's REST API: an HTTP method and a resource path. */
    public record Route(String method, String path) {

        private static final Pattern FORM = Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\\s+(/[A-Za-z0-9._~/-]*)");

        static Route parse(String text, String module) {
            Matcher matcher = FORM.matcher(text.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException(module + "/pom.xml: <workbook.rest-api> must be a method and a path,"
                        + " e.g. POST /messages, not '" + text.trim() + "'");
            }
            return new Route(matcher.group(1), matcher.group(2));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** The bucket a local run seeds; in AWS the name must be unique, locally any name will do. */
    public static final String LOCAL_BUCKET = "xray-workbook-local";
    public static final String SAMPLE_KEY = "sample_data.json";
    public static final String SAMPLE_DATA = "{\"message\": \"Hello from S3!\"}";

    private static final Pattern MODULE = Pattern.compile("step-([1-9][0-9]*)-[a-z0-9-]+");

    /** Every step of the workbook at {@code root}, in order. */
    public static List<Step> all(Path root) {
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(folder -> MODULE.matcher(folder.getFileName().toString()).matches())
                    .filter(folder -> Files.isRegularFile(folder.resolve("pom.xml")))
                    .map(Step::read)
                    .sorted(Comparator.comparingInt(Step::number))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the workbook's modules in " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Accepts {@code step-2}, {@code 2} or the module name {@code step-2-s3-patched}.
     *
     * @throws IllegalArgumentException naming the steps there are
     */
    public static Step parse(String name, Path root) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        List<Step> steps = all(root);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(root + " holds no step-N-* module: run from the workbook, or pass --root");
        }
        return steps.stream()
                .filter(step -> wanted.equals(step.shortName()) || wanted.equals(step.module())
                        || wanted.equals(Integer.toString(step.number())))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown step '" + name + "': choose "
                        + steps.stream().map(Step::shortName).collect(Collectors.joining(", "))));
    }

    /** Reads the step a module's POM declares. */
    static Step read(Path module) {
        Matcher name = MODULE.matcher(module.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalArgumentException(module + " is not a step-N-NAME module");
        }
        Map<String, String> properties = properties(module.resolve("pom.xml"));
        String handler = Optional.ofNullable(properties.get("lambda.handler")).filter(h -> !h.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(module.getFileName() + "/pom.xml names no <lambda.handler>"));
        String folder = module.getFileName().toString();
        return new Step(Integer.parseInt(name.group(1)), folder, handler.trim(),
                flag(properties, "workbook.reads-s3"), flag(properties, "workbook.fails-on-purpose"),
                flag(properties, "workbook.opentelemetry-layer"), flag(properties, "workbook.snapstart"),
                text(properties, "workbook.rest-api").map(route -> Route.parse(route, folder)),
                text(properties, "workbook.queue-handler"),
                text(properties, "workbook.compare-handlers").map(list -> List.of(list.split("\\s+"))).orElse(List.of()));
    }

    private static Optional<String> text(Map<String, String> properties, String name) {
        return Optional.ofNullable(properties.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    public String shortName() {
        return "step-" + number;
    }

    public String functionName() {
        return "xray-workbook-" + shortName();
    }

    /** The second function's name, for a step with a queue: the first's with {@code -queue}. */
    public String queueFunctionName() {
        return functionName() + "-queue";
    }

    public Path deploymentPackage(Path root) {
        return root.resolve(module).resolve("target").resolve(module + "-lambda.jar");
    }

    private static boolean flag(Map<String, String> properties, String name) {
        return Boolean.parseBoolean(properties.getOrDefault(name, "false").trim());
    }

    /**
     * The POM's own {@code <properties>}, not inherited ones, nor those of a profile: each
     * property's text as written, comments left out. The scripts read the same way
     * ({@code pom_property} in {@code scripts/lib/common.sh}); StepReadersAgreeTest holds them to it.
     */
    static Map<String, String> properties(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            Map<String, String> properties = new HashMap<>();
            NodeList children = project.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element element && element.getTagName().equals("properties")) {
                    NodeList entries = element.getChildNodes();
                    for (int j = 0; j < entries.getLength(); j++) {
                        Node entry = entries.item(j);
                        if (entry instanceof Element property) {
                            properties.put(property.getTagName(), property.getTextContent());
                        }
                    }
                }
            }
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pom + ": " + e.getMessage(), e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new IllegalArgumentException(pom + " is not a readable POM: " + e.getMessage(), e);
        }
    }
}
