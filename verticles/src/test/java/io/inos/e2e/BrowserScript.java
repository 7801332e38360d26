package io.inos.e2e;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code e2e/browser-test.mjs} running in Node.js, as a process of its own: it drives Chromium through
 * playwright-core and reports on stdout, one JSON object per line, each with an {@code event} name
 * ({@code subscribed}, {@code result}, {@code error}). Its stderr (its progress and the page's console) goes to
 * {@code e2e/target/browser-test.log}, and the tail of it is in every failure message.
 */
final class BrowserScript implements AutoCloseable {

  /** Marks the end of stdout in the queue. */
  private static final JsonObject END = new JsonObject().put("event", "<end of output>");
  /** How long {@link #close()} lets a script still running end by itself. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

  private final Process process;
  private final Path log;
  private final LinkedBlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();

  private BrowserScript(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::readStdout, "browser-test stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code node e2e/browser-test.mjs} with {@code args}.
   *
   * @param tooling where node, Chromium and e2e/ are
   * @param args    the script's options, e.g. {@code --page URL}
   */
  static BrowserScript start(BrowserTooling tooling, List<String> args) throws IOException {
    Files.createDirectories(tooling.targetDir());
    Path log = tooling.targetDir().resolve("browser-test.log");
    List<String> command = new ArrayList<>();
    command.add(tooling.node().toString());
    command.add(tooling.e2eDir().resolve("browser-test.mjs").toString());
    command.add("--chromium");
    command.add(tooling.chromium().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(tooling.e2eDir().toFile())
      .redirectError(log.toFile())
      .redirectInput(ProcessBuilder.Redirect.PIPE);
    // never a browser download, whatever the script or a dependency might try
    builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    return new BrowserScript(builder.start(), log);
  }

  private void readStdout() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
      StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        try {
          lines.add(new JsonObject(line));
        } catch (DecodeException e) {
          lines.add(new JsonObject().put("event", "<not JSON>").put("line", line));
        }
      }
    } catch (IOException e) {
      lines.add(new JsonObject().put("event", "<stdout failed>").put("message", e.toString()));
    } finally {
      lines.add(END);
    }
  }

  /**
   * Waits for the next line whose {@code event} is {@code name}, skipping nothing else: any other event is a failure.
   *
   * @return that line
   * @throws AssertionError when the script reports an error, ends first, prints something else, or takes longer
   *                        than {@code timeout}
   */
  JsonObject awaitEvent(String name, Duration timeout) throws InterruptedException {
    JsonObject line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("the browser script printed no '" + name + "' within " + timeout + logTail());
    }
    if (line == END) {
      lines.add(END);
      throw new AssertionError("the browser script ended (" + exitDescription() + ") before '" + name + "'"
        + logTail());
    }
    if (!name.equals(line.getString("event"))) {
      throw new AssertionError("the browser script printed " + line.encode() + " where '" + name
        + "' was expected" + logTail());
    }
    return line;
  }

  /** Waits for the script to exit and checks it exited with 0. */
  void awaitSuccessfulExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the browser script did not exit within " + timeout + logTail());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("the browser script exited with " + process.exitValue() + logTail());
    }
  }

  private String exitDescription() {
    try {
      // stdout is closed, so the process is ending: give it a moment to report its code
      return process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String logTail() {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = all.subList(Math.max(0, all.size() - 40), all.size());
      return "\n--- " + log + " (last " + tail.size() + " lines) ---\n" + String.join("\n", tail);
    } catch (IOException | UncheckedIOException e) {
      return "\n(no log at " + log + ": " + e + ")";
    }
  }

  /**
   * Lets the script finish (after an error it closes Chromium and removes its user-data-dir by itself), then kills
   * it and its Chromium if it is still running.
   */
  @Override
  public void close() throws InterruptedException {
    try {
      process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      // also when the wait is interrupted (the test's @Timeout): no browser outlives the test
      if (process.isAlive()) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
