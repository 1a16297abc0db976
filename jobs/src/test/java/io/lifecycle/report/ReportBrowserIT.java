package io.lifecycle.report;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lifecycle.NeedsSampleRun;
import io.lifecycle.SampleRun;
import io.lifecycle.TestSupport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The sample run's report as a person sees it: opened from its file in headless Chromium (no network),
 * every chart rendered with content and no section saying its data is missing. The screenshot it
 * takes, {@code jobs/target/report.png}, is what {@code docs/report.png} is copied from.
 *
 * <p>Needs Debian's {@code chromium} package. Without it the test is skipped locally and fails in CI
 * ({@code CI=true}), where {@code .ci/run} installs it.
 */
@NeedsSampleRun
@Isolated
class ReportBrowserIT {
  static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars");

  static Optional<String> chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return Optional.of(f.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  static String run(String exe, Path profile, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(exe, "--user-data-dir=" + profile));
    cmd.addAll(FLAGS);
    cmd.addAll(args);
    Path stdout = Files.createTempFile("chromium", ".out");
    Path stderr = Files.createTempFile("chromium", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("chromium timed out: " + cmd);
      }
      assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
      return Files.readString(stdout);
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  @Test
  void reportRendersInHeadlessChromiumWithEveryChart() throws Exception {
    Optional<String> exe = chromium();
    if (exe.isEmpty()) {
      assertNotEquals("true", System.getenv("CI"), "CI=true but chromium is not installed: apt-get install -y chromium");
      assumeTrue(false, "chromium is not installed (Debian: apt-get install -y chromium); skipping the browser check");
    }
    String url = SampleRun.output().resolve(ReportStep.LATEST).toUri().toString();
    Path profile = Files.createTempDirectory("chromium-profile");
    try {
      check(exe.get(), profile, url);
    } finally {
      io.lifecycle.FreshClone.delete(profile);
    }
  }

  private static void check(String exe, Path profile, String url) throws Exception {
    String dom = run(exe, profile, List.of("--force-device-scale-factor=1", "--dump-dom", url));
    assertTrue(dom.contains("<h1>Customer lifecycle report</h1>"), "the page did not load: " + dom.substring(0, Math.min(500, dom.length())));
    assertFalse(dom.contains("class=\"" + HtmlPage.MISSING + "\""), "a section says its data is missing");
    // Every chart of a complete run, and one per breakdown of conf/local.conf.
    List<String> charts = new java.util.ArrayList<>(LifecycleReport.CHARTS);
    charts.addAll(List.of("breakdown-plan", "breakdown-country"));
    for (String id : charts) {
      Matcher m = Pattern.compile("<figure class=\"chart\" id=\"" + Pattern.quote(id) + "\">(.*?)</figure>", Pattern.DOTALL).matcher(dom);
      assertTrue(m.find(), "chart " + id + " is not in the rendered page");
      String figure = m.group(1);
      assertTrue(figure.startsWith("<svg"), "chart " + id + " has no svg");
      long marks = Pattern.compile("class=\"(series|bar|cell)\"").matcher(figure).results().count();
      assertTrue(marks >= 1, "chart " + id + " draws no line, bar or cell");
      assertTrue(figure.contains("class=\"chart-title\""), "chart " + id + " has no title");
    }
    Path png = TestSupport.projectFile("jobs/target/report.png").toPath();
    Files.deleteIfExists(png);
    // The whole page at three quarters scale: 1200 x 4800 pixels.
    run(exe, profile, List.of("--force-device-scale-factor=0.75", "--screenshot=" + png, "--window-size=1600,6400", url));
    assertTrue(Files.size(png) > 20_000, "screenshot too small: " + Files.size(png) + " bytes");
  }
}
