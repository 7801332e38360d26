package io.inos.server;

import io.inos.server.config.InosConfig;
import io.inos.server.config.InosConfigException;
import io.inos.server.config.InosConfigLoader;
import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar inos-server.jar [--conf file.json]}: loads the configuration (defaults < file < {@code INOS_*}),
 * starts the {@link InosServer}, and stops it gracefully on SIGTERM / Ctrl-C.
 *
 * <p>What it prints, for scripts and operators: {@value #LISTENING} followed by the port once the HTTP port listens
 * (the chosen one when {@code INOS_HTTP_PORT=0}), {@value #MQTT_LISTENING} and the MQTT port just before it when
 * the MQTT server runs, and {@value #STOPPED} when a graceful stop has finished.
 * Exit codes: 2 for a configuration error (the message names the variable), 1 for any other start-up failure
 * (e.g. the port in use), and the JVM's own for a signal (143 after SIGTERM, once the stop has run).
 */
public final class Main {

  /** Printed on standard output, followed by the port, when the server listens. */
  public static final String LISTENING = "inos: listening on port ";
  /** Printed on standard output, followed by the port, when the MQTT server listens (after {@link #LISTENING}). */
  public static final String MQTT_LISTENING = "inos: mqtt listening on port ";
  /** Printed on standard output when the shutdown hook has stopped the server. */
  public static final String STOPPED = "inos: stopped";
  /** Exit code for an unusable configuration. */
  public static final int EXIT_CONFIG = 2;
  /** Exit code for any other start-up failure. */
  public static final int EXIT_START = 1;

  /** Beyond the drain time, how long the shutdown hook waits for the rest of the stop (services, ledger, Vert.x). */
  private static final long STOP_MARGIN_MS = 5_000;

  private Main() {
  }

  public static void main(String[] args) {
    if (System.getProperty("vertx.cacheDirBase") == null) {
      // keep Vert.x's file cache out of /tmp so a killed process leaves nothing behind there
      System.setProperty("vertx.cacheDirBase", System.getProperty("user.home") + "/.cache/inos-vertx");
    }
    InosConfig config;
    try {
      config = InosConfigLoader.load(args, System.getenv());
    } catch (InosConfigException e) {
      System.err.println("inos: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    Future<InosServer> starting = InosServer.start(config);
    // registered before the start completes, so a SIGTERM during start-up still stops what was started
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnExit(starting, config), "inos-shutdown"));
    InosServer server;
    try {
      server = starting.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("inos: cannot start: " + cause.getMessage());
      System.exit(EXIT_START);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(EXIT_START);
      return;
    }
    if (server.mqttPort() > 0) {
      System.out.println(MQTT_LISTENING + server.mqttPort());
    }
    System.out.println(LISTENING + server.httpPort());
    System.out.flush();
  }

  /** The shutdown hook: waits for a start still under way, then stops the server gracefully. */
  private static void stopOnExit(Future<InosServer> starting, InosConfig config) {
    long budgetMs = config.shutdownDrainMs() * 2 + STOP_MARGIN_MS;
    try {
      InosServer server;
      try {
        server = starting.toCompletionStage().toCompletableFuture().get(budgetMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException notStarted) {
        return; // start-up failed and already closed everything it had opened
      }
      System.out.println("inos: stopping (draining for up to " + config.shutdownDrainMs() + " ms)");
      server.stop().toCompletionStage().toCompletableFuture().get(budgetMs, TimeUnit.MILLISECONDS);
      System.out.println(STOPPED);
    } catch (Exception e) {
      System.err.println("inos: shutdown did not complete cleanly: " + e);
    } finally {
      System.out.flush();
      System.err.flush();
    }
  }
}
