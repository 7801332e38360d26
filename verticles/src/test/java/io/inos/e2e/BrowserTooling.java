package io.inos.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the browser end-to-end test needs outside the JVM: the repository's {@code e2e/} folder with its npm packages
 * installed, Node.js, and Debian's Chromium. {@link #require()} finds them or fails the test, with a message that
 * says to run {@code e2e/setup.sh}: the test never skips itself, so a machine without a browser cannot pass it.
 *
 * <p>Overrides, for machines laid out differently: {@code -Dinos.e2e.dir=…}, {@code INOS_E2E_NODE},
 * {@code INOS_E2E_CHROMIUM}.
 */
record BrowserTooling(Path e2eDir, Path node, Path chromium) {

  /** Debian's Chromium, the only browser the test uses (no browser is ever downloaded). */
  static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";

  /** The files of the npm packages the test serves or runs; their absence means {@code npm ci} did not run. */
  private static final List<String> PACKAGE_FILES = List.of(
    "node_modules/playwright-core/package.json",
    "node_modules/sockjs-client/dist/sockjs.min.js",
    "node_modules/@vertx/eventbus-bridge-client.js/vertx-eventbus.js");

  /**
   * @return the tooling, all of it present
   * @throws AssertionError naming everything that is missing and how to install it
   */
  static BrowserTooling require() {
    List<String> missing = new ArrayList<>();
    Path e2e = findE2eDir();
    if (e2e == null) {
      throw new AssertionError("browser e2e test: cannot find the repository's e2e/ folder above "
        + Path.of("").toAbsolutePath() + " (set -Dinos.e2e.dir)");
    }
    for (String file : PACKAGE_FILES) {
      if (!Files.isRegularFile(e2e.resolve(file))) {
        missing.add("e2e/" + file);
      }
    }
    Path node = findNode();
    if (node == null) {
      missing.add("node (not on PATH; or set INOS_E2E_NODE)");
    }
    String chromiumSetting = System.getenv("INOS_E2E_CHROMIUM");
    Path chromium = Path.of(chromiumSetting == null || chromiumSetting.isBlank() ? DEFAULT_CHROMIUM : chromiumSetting);
    if (!Files.isExecutable(chromium)) {
      missing.add(chromium + " (Debian package chromium)");
    }
    if (!missing.isEmpty()) {
      throw new AssertionError("browser e2e test: missing " + String.join(", ", missing)
        + ". Run e2e/setup.sh (it installs Debian's chromium and runs npm ci in e2e/ with"
        + " PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1); scripts/test.sh runs it before the build.");
    }
    return new BrowserTooling(e2e, node, chromium);
  }

  /** @return where the screenshot and the script's log go (e2e/target, ignored by git) */
  Path targetDir() {
    return e2eDir.resolve("target");
  }

  private static Path findE2eDir() {
    String configured = System.getProperty("inos.e2e.dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    // surefire runs in the module's folder (verticles/); the e2e folder sits at the top of the repository
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("e2e");
      if (Files.isRegularFile(candidate.resolve("browser-test.mjs"))) {
        return candidate;
      }
    }
    return null;
  }

  private static Path findNode() {
    String configured = System.getenv("INOS_E2E_NODE");
    if (configured != null && !configured.isBlank()) {
      Path node = Path.of(configured);
      return Files.isExecutable(node) ? node : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path node = Path.of(dir, "node");
        if (Files.isExecutable(node)) {
          return node;
        }
      }
    }
    return null;
  }
}
