package io.inos.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third-party command-line client in a test (mosquitto_sub, amqp-publish…): run one to completion, or follow one
 * that keeps running and wait for the lines it prints. Stops the process when closed.
 */
public final class CommandLineClient implements AutoCloseable {

  private static final long WAIT_S = 20;

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private CommandLineClient(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (Exception ignored) {
        // the process ended
      }
    }, "client-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Runs {@code command} to its end; fails the test unless it exits 0 within 30 s. */
  public static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
    assertEquals(0, process.exitValue(), command[0] + ": "
      + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code command} to its end; fails the test unless it exits with an error within 30 s.
   *
   * @return what it printed (standard output and error)
   */
  public static String runExpectingFailure(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertNotEquals(0, process.exitValue(), command[0] + " succeeded: " + output);
    return output;
  }

  /** Starts {@code command} and follows what it prints (standard output and error). */
  public static CommandLineClient follow(String... command) throws Exception {
    return new CommandLineClient(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** @return the first line printed from now on that contains {@code text}; fails after 20 s without one */
  public String awaitLine(String text) throws InterruptedException {
    StringBuilder seen = new StringBuilder();
    while (true) {
      String line = lines.poll(WAIT_S, TimeUnit.SECONDS);
      assertNotNull(line, "'" + text + "' not printed within " + WAIT_S + " s; printed: " + seen);
      seen.append(line).append('\n');
      if (line.contains(text)) {
        return line;
      }
    }
  }

  /**
   * @return whether a line containing {@code text} is printed from now on within {@code ms}; the lines read on the way
   * are gone
   */
  public boolean printedWithin(String text, long ms) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    try {
      for (long left = ms; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
        String line = lines.poll(left, TimeUnit.MILLISECONDS);
        if (line != null && line.contains(text)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
