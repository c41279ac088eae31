package io.github.xrayworkbook.local.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for tests that check a page as a reader sees it: the DOM after the
 * page's scripts ran, or a screenshot. It runs with a fresh profile and with the background
 * networking that would reach out of this machine switched off.
 */
public final class HeadlessChromium {

    /** The initiator Chromium's net log gives the requests the browser makes for itself. */
    private static final String BROWSER_INITIATED = "not an origin";

    private final Path binary;
    private final Path workDir;

    /**
     * @param workDir where the browser profile and its log go
     */
    public HeadlessChromium(Path workDir) {
        this.binary = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
        this.workDir = workDir;
    }

    /** The page's DOM once its scripts have run. */
    public String dumpDom(Path page) {
        return run("--dump-dom", page.toUri().toString());
    }

    /**
     * What the page asked for from outside its own folder while it loaded and its scripts ran: the
     * URL of every request the page made (its stylesheets, imports, fonts, images, scripts, frames,
     * fetches) that is not a file under the page's folder. Read from Chromium's own network log,
     * leaving out the browser's requests of its own (updates, time, accounts), which no page
     * initiates.
     */
    public List<String> requestsLeavingItsFolder(Path page) {
        Path netLog = workDir.resolve("net-log-" + page.getFileName() + ".json");
        run("--log-net-log=" + netLog.toAbsolutePath(), "--dump-dom", page.toUri().toString());
        return requestsLeavingItsFolder(page, netLog);
    }

    /**
     * A screenshot of the page, as {@link #screenshot} takes it, and what the page asked for from
     * outside its folder while it loaded, as {@link #requestsLeavingItsFolder(Path)} reads it: both
     * from one start of the browser, which costs seconds.
     */
    public List<String> screenshotAndRequestsLeavingItsFolder(Path page, Path png, int width, int height) {
        Path netLog = workDir.resolve("net-log-" + page.getFileName() + ".json");
        run("--log-net-log=" + netLog.toAbsolutePath(), "--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height, page.toUri().toString());
        return requestsLeavingItsFolder(page, netLog);
    }

    private static List<String> requestsLeavingItsFolder(Path page, Path netLog) {
        String site = page.toAbsolutePath().getParent().toUri().toString();
        try {
            JsonNode log = new ObjectMapper().readTree(netLog.toFile());
            int startJob = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB").asInt(-1);
            if (startJob < 0) {
                throw new AssertionError("Chromium's net log " + netLog + " names no URL_REQUEST_START_JOB event");
            }
            List<String> leaving = new ArrayList<>();
            for (JsonNode event : log.path("events")) {
                JsonNode params = event.path("params");
                // A job's end event (an error, say) has the same type, and neither URL nor initiator.
                String url = params.path("url").asText();
                boolean byThePage = params.has("initiator") && !BROWSER_INITIATED.equals(params.path("initiator").asText());
                if (event.path("type").asInt() == startJob && byThePage && !url.isEmpty() && !url.startsWith(site)) {
                    leaving.add(url);
                }
            }
            return leaving;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Chromium's net log " + netLog, e);
        }
    }

    public void screenshot(Path page, Path png, int width, int height) {
        run("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, page.toUri().toString());
    }

    private String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + workDir.resolve("profile"),
                "--virtual-time-budget=3000"));
        command.addAll(List.of(arguments));
        Path log = workDir.resolve("chromium.log");
        try {
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Chromium did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("Chromium failed (" + process.exitValue() + "): " + Files.readString(log));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + binary + ": install Debian's chromium", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while Chromium ran", e);
        }
    }
}
