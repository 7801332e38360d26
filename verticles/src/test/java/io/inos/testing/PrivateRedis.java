package io.inos.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of one test, never the machine's shared one: on a free port of 127.0.0.1, without persistence, so
 * a test may kill it (as a crash would) and start it again on the same port, empty. Its log goes to a file of the
 * test's directory.
 */
public final class PrivateRedis implements AutoCloseable {

  private static final long START_SECONDS = 30;

  private final int port;
  private final Path dir;
  private Process process;
  private int starts;

  private PrivateRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts a server on a free port and returns once it accepts connections.
   *
   * @param dir where its log (and its working directory) goes
   */
  public static PrivateRedis start(Path dir) {
    PrivateRedis redis = new PrivateRedis(FreePorts.belowEphemeralRange(), dir);
    redis.restart();
    return redis;
  }

  public int port() {
    return port;
  }

  /** @return {@code redis://127.0.0.1:{port}} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills it with SIGKILL and waits until it is gone (its port is free again then). */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("redis-server on port " + port + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while killing redis-server", e);
    }
    process = null;
  }

  /** Starts it again on the same port (empty: nothing was persisted) and returns once it accepts connections. */
  public void restart() {
    if (process != null) {
      throw new IllegalStateException("redis-server on port " + port + " is running");
    }
    Path log = dir.resolve("redis-" + port + "-" + (++starts) + ".log");
    try {
      process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run redis-server", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!read(log).contains("Ready to accept connections")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        process = null;
        throw new AssertionError("redis-server did not start on port " + port + ":\n" + read(log));
      }
      pause();
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20); // poll interval of the log file, not a wait for an outcome
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while starting redis-server", e);
    }
  }
}
