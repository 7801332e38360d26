package io.inos.server;

import io.inos.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.inos.server.InosServerHarness.STEP_TIMEOUT;
import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Main} as operators run it: a JVM of its own on the test classpath, configured through {@code INOS_*}
 * variables only, stopped by SIGTERM.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MainProcessTest {

  private static final Pattern LISTENING = Pattern.compile(Pattern.quote(Main.LISTENING) + "(\\d+)");

  @TempDir
  Path dir;
  private Vertx vertx;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> databases = new ArrayList<>();

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    try {
      for (Process p : processes) {
        if (p.isAlive()) {
          p.destroyForcibly().waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      for (String name : databases) {
        await(TestDatabases.drop(vertx, name));
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void badConfigurationExitsWithCode2NamingTheVariable() throws Exception {
    Process process = launch(Map.of("INOS_HTTP_PORT", "abc"));

    assertTrue(process.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the process did not exit");
    assertEquals(Main.EXIT_CONFIG, process.exitValue(), output());
    String stderr = read("stderr");
    assertTrue(stderr.contains("INOS_HTTP_PORT") && stderr.contains("abc"), stderr);
  }

  @Test
  void servesThenStopsCleanlyOnSigterm() throws Exception {
    String database = TestDatabases.randomName();
    databases.add(database);
    Process process = launch(Map.of("INOS_HTTP_PORT", "0", "INOS_MQTT_PORT", "0",
      "INOS_PG_URL", TestDatabases.url(TestDatabases.PORT, database)));

    awaitUntil("the process prints its port", () -> LISTENING.matcher(read("stdout")).find() || !process.isAlive());
    Matcher listening = LISTENING.matcher(read("stdout"));
    assertTrue(listening.find(), "no '" + Main.LISTENING + "N' line: " + output());
    int port = Integer.parseInt(listening.group(1));

    WebClient web = WebClient.create(vertx);
    try {
      HttpResponse<Buffer> health = await(web.get(port, "127.0.0.1", "/health").send());
      assertEquals(200, health.statusCode());
      assertEquals("UP", health.bodyAsJsonObject().getString("status"));
    } finally {
      web.close();
    }

    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the process did not exit");
    int exit = process.exitValue();
    assertTrue(exit == 143 || exit == 0, "exit code " + exit + ": " + output());
    assertTrue(read("stdout").contains(Main.STOPPED), "the shutdown hook did not finish the stop: " + output());
  }

  private Process launch(Map<String, String> inosEnv) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java,
      "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"),
      "-cp", System.getProperty("java.class.path"),
      Main.class.getName())
      .redirectOutput(dir.resolve("stdout").toFile())
      .redirectError(dir.resolve("stderr").toFile());
    // only the variables of this test: an INOS_* of the machine must not change what is tested
    builder.environment().keySet().removeIf(name -> name.startsWith("INOS_"));
    builder.environment().putAll(inosEnv);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private String read(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String output() {
    return "\n--- stdout ---\n" + read("stdout") + "\n--- stderr ---\n" + read("stderr");
  }
}
