package io.inos.bench.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N idle MQTT 3.1.1 connections (clean session, keep-alive 300 s) to a server, each optionally subscribed to a
 * topic of its own ({@code --subscribe own}: {@code bench/idle/<prefix>/<i>}, QoS 1, as a device waiting for its
 * commands), prints {@value #READY} once every CONNACK and SUBACK has arrived, and holds them until SIGTERM or
 * {@code --hold-s}. One process holds at most 18,000 (20,000 open files per process here): the benchmark starts
 * several for larger counts, each with its own {@code --prefix}.
 */
public final class MqttIdleConnections {

  static final String READY = "idle: ready ";

  private MqttIdleConnections() {
  }

  public static void main(String[] args) throws Exception {
    MqttLoadGenerator.quiet();
    String host = "127.0.0.1";
    int port = 0;
    int connections = 1000;
    int holdS = 600;
    String prefix = "g0";
    boolean subscribe = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--host" -> host = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--connections" -> connections = Integer.parseInt(v);
        case "--hold-s" -> holdS = Integer.parseInt(v);
        case "--prefix" -> prefix = v;
        case "--subscribe" -> subscribe = switch (v) {
          case "own" -> true;
          case "none" -> false;
          default -> throw new IllegalArgumentException("--subscribe is own or none");
        };
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: MqttIdleConnections"
          + " --port P [--connections N] [--subscribe own|none] [--prefix ID] [--hold-s S]");
      }
    }
    if (port <= 0 || connections < 1 || connections > 18_000 || !prefix.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("need --port, 1..18000 connections (20,000 open files per process here), "
        + "--prefix of [a-z0-9]");
    }
    int serverPort = port;
    String serverHost = host;
    Vertx vertx = Vertx.vertx();
    VertxInternal internal = (VertxInternal) vertx;
    List<MqttClient> clients = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    long t0 = System.nanoTime();
    int batch = 200;
    for (int from = 0; from < connections; from += batch) {
      List<Future<?>> opening = new ArrayList<>();
      for (int i = from; i < Math.min(connections, from + batch); i++) {
        Context ctx = internal.createEventLoopContext();
        Promise<Void> one = Promise.promise();
        opening.add(one.future());
        int index = i;
        String topic = "bench/idle/" + prefix + "/" + i;
        boolean sub = subscribe;
        String id = "idle-" + prefix + "-" + i;
        ctx.runOnContext(v -> {
          MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId(id).setCleanSession(true)
            .setKeepAliveInterval(300).setAutoKeepAlive(true));
          synchronized (clients) {
            clients.add(c);
          }
          c.connect(serverPort, serverHost).compose(ack -> ack.code().byteValue() == 0 ? Future.succeededFuture()
              : Future.failedFuture("CONNACK " + ack.code()))
            .compose(x -> {
              if (!sub) {
                return Future.<Void>succeededFuture();
              }
              Promise<Void> granted = Promise.promise();
              c.subscribeCompletionHandler(a -> {
                if (a.grantedQoSLevels().get(0) == 0x80) {
                  granted.tryFail("SUBACK refused for " + topic);
                } else {
                  granted.tryComplete();
                }
              });
              return c.subscribe(topic, 1).compose(pid -> granted.future());
            })
            .onFailure(err -> {
              if (failures.incrementAndGet() <= 3) {
                System.err.println("idle: connection " + index + ": " + err);
              }
            })
            .onComplete(one);
        });
      }
      Future.join(opening).await(2, TimeUnit.MINUTES);
    }
    long openMs = (System.nanoTime() - t0) / 1_000_000;
    if (failures.get() > 0) {
      System.err.printf(Locale.ROOT, "idle: %d of %d connections failed%n", failures.get(), connections);
      vertx.close().await(10, TimeUnit.SECONDS);
      System.exit(1);
    }
    System.out.printf(Locale.ROOT, READY + "%d connections (%s) in %,d ms%n", connections,
      subscribe ? "each subscribed to its own topic" : "no subscription", openMs);
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("idle: close: " + e.getMessage());
      }
    }));
    stop.await(holdS, TimeUnit.SECONDS);
    System.exit(0);
  }
}
