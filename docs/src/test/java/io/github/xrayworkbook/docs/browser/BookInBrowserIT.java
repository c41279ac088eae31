package io.github.xrayworkbook.docs.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.junit.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The built book, opened in headless Chromium chapter by chapter. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BookInBrowserIT {

    private static final Path BOOK = Path.of(System.getProperty("book.dir"));
    private static final Pattern HREF = Pattern.compile("<a [^>]*href=\"([^\"]+)\"");

    /** Each page, and how many code listings and trace figures it must show at least. */
    private static final Map<String, int[]> PAGES = new LinkedHashMap<>();

    static {
        // {code listings at least, trace map pictures, timeline pictures}
        PAGES.put("index.html", new int[] {0, 0, 0});
        PAGES.put("01-why-xray.html", new int[] {0, 0, 0});
        PAGES.put("02-step-1-blank.html", new int[] {3, 1, 1});
        PAGES.put("03-step-2-s3.html", new int[] {6, 1, 2});
        PAGES.put("04-step-3-subsegments.html", new int[] {5, 1, 1});
        PAGES.put("05-run-locally.html", new int[] {3, 0, 0});
        PAGES.put("06-step-4-opentelemetry.html", new int[] {8, 2, 2});
        PAGES.put("07-step-5-zero-code.html", new int[] {6, 1, 1});
        PAGES.put("08-step-6-snapstart.html", new int[] {7, 0, 1});
        PAGES.put("09-step-7-api-queue.html", new int[] {12, 1, 2});
        PAGES.put("10-step-8-threads.html", new int[] {10, 0, 2});
        PAGES.put("11-templates.html", new int[] {12, 0, 0});
        PAGES.put("12-clean-up-and-next.html", new int[] {1, 0, 0});
    }

    private final Map<String, String> doms = new LinkedHashMap<>();
    private final Map<String, List<String>> outsideRequests = new LinkedHashMap<>();
    private HeadlessChromium chromium;

    @BeforeAll
    void openEveryPage(@TempDir Path dir) {
        chromium = new HeadlessChromium(dir);
        for (String page : PAGES.keySet()) {
            assertThat(BOOK.resolve(page)).as("the build wrote " + page).isRegularFile();
            doms.put(page, chromium.dumpDom(BOOK.resolve(page)));
            outsideRequests.put(page, chromium.requestsLeavingItsFolder(BOOK.resolve(page)));
        }
    }

    @Test
    void noPageRequestsAnythingFromOutsideTheBooksOwnFolder() {
        assertThat(outsideRequests).allSatisfy((page, requests) -> assertThat(requests).as(page).isEmpty());
    }

    @Test
    void aPageThatLoadsAFontFromAnotherSiteIsCaught(@TempDir Path site) throws IOException {
        Path page = Files.writeString(site.resolve("fonts.html"), "<!DOCTYPE html><html><head><style>"
                + "@import \"https://fonts.googleapis.com/css?family=Open+Sans\";</style>"
                + "<link rel=\"stylesheet\" href=\"own.css\"></head><body>text</body></html>");
        Files.writeString(site.resolve("own.css"), "body { color: black; }");

        assertThat(chromium.requestsLeavingItsFolder(page))
                .containsExactly("https://fonts.googleapis.com/css?family=Open+Sans");
    }

    @Test
    void everyChapterRendersWithItsListingsAndTraceFigures() {
        PAGES.forEach((page, expected) -> {
            String dom = doms.get(page);
            assertThat(count(dom, "<h1>")).as(page + " has its title").isEqualTo(1);
            assertThat(count(dom, "class=\"listingblock")).as(page + " code listings").isGreaterThanOrEqualTo(expected[0]);
            assertThat(count(dom, "class=\"service-map\"")).as(page + " trace maps").isEqualTo(expected[1]);
            assertThat(count(dom, "class=\"timeline\"")).as(page + " timeline pictures").isEqualTo(expected[2]);
            if (expected[1] > 0) {
                assertThat(dom).as(page + " shows a timeline the build produced").containsPattern("Trace 1-[0-9a-f]{8}-[0-9a-f]{24}");
                assertThat(dom).contains("AWS::Lambda::Function");
            }
            assertThat(dom).as(page + " has no unresolved include or attribute")
                    .doesNotContain("Unresolved directive").doesNotContain("{rootdir}").doesNotContain("{trace-views}");
        });
    }

    @Test
    void everyInternalLinkLandsOnAPageAndAnchorThatExist() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> page : doms.entrySet()) {
            Matcher matcher = HREF.matcher(page.getValue());
            while (matcher.find()) {
                String href = matcher.group(1);
                if (href.matches("(?i)(https?|mailto):.*")) {
                    continue;
                }
                checked++;
                String file = href.contains("#") ? href.substring(0, href.indexOf('#')) : href;
                String anchor = href.contains("#") ? href.substring(href.indexOf('#') + 1) : "";
                String target = file.isEmpty() ? page.getKey() : file;
                if (!Files.isRegularFile(BOOK.resolve(target))) {
                    broken.add(page.getKey() + " -> " + href + " (no such page)");
                } else if (!anchor.isEmpty() && !doms.getOrDefault(target, "").contains("id=\"" + anchor + "\"")) {
                    broken.add(page.getKey() + " -> " + href + " (no such anchor)");
                }
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(broken).isEmpty();
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
