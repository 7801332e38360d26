package io.inos.bench.memory;

import io.inos.bench.fanout.BusFrames;
import io.inos.bench.fanout.SubscriberPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Holds N idle event-bus bridge connections open, each registered at one address and pinging every 5 s as the JS
 * client does, so that {@code bench/memory.sh} can measure what they cost the server's heap.
 *
 * <ul>
 *   <li>{@code --server bare}: the stock bridge ({@link io.inos.bench.fanout.BareBridgeServer}); connection i
 *   registers at {@code feed.idle.i} ({@code --addresses own}) or all at {@code feed.idle} ({@code shared}).</li>
 *   <li>{@code --server inos}: connection i is the guest {@code guest_…} it proposes in the {@code inos-guest-id}
 *   header, or with {@code --token-secret} (the server's {@code INOS_JWT_KEY}) the user {@code bench_user_i} signed
 *   in with an HS256 JWT in the {@code Authorization} header; it registers at its own {@code user:{id}}
 *   ({@code own}), as a signed-in page registers at its user address, or all at the probe's event type
 *   {@code bench:probe:v1:completed} (a public address in the bench's rules)
 *   ({@code shared}).</li>
 * </ul>
 * Once every connection is open, it proves every registration live: it publishes one probe to each address (bare:
 * event-bus publish frames; INOS: {@code POST /api/events} scoped to the guest or the campaign) and waits until every
 * connection has received its probe. Then it prints {@value #READY} and holds the connections until it is stopped
 * (SIGTERM) or {@code --hold-s} has passed.
 */
public final class IdleConnections {

  /**
   * Where every INOS connection listens in the shared mode: the probe's own type. (A campaign address would not do:
   * the REST door acts as the caller, and an event carrying a user is scoped to that user, not to the campaign.)
   */
  private static final String SHARED_INOS_ADDRESS = "bench:probe:v1:completed";

  /** Printed once every connection is open and has received its probe. */
  public static final String READY = "idle: ready ";
  private static final String PATH = "/eventbus/websocket";

  private IdleConnections() {
  }

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 0;
    int connections = 10_000;
    String server = "bare";
    boolean own = true;
    int holdS = 600;
    String tokenSecret = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--host" -> host = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--connections" -> connections = Integer.parseInt(v);
        case "--server" -> server = v;
        case "--addresses" -> own = switch (v) {
          case "own" -> true;
          case "shared" -> false;
          default -> throw new IllegalArgumentException("--addresses is own or shared");
        };
        case "--hold-s" -> holdS = Integer.parseInt(v);
        case "--token-secret" -> tokenSecret = v;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
          + "; usage: IdleConnections --port P --server bare|inos [--connections N] [--addresses own|shared]"
          + " [--hold-s S] [--token-secret INOS_JWT_KEY]");
      }
    }
    if (port <= 0 || connections < 1 || connections > 18_000 || holdS < 1 || holdS > 3_600
      || !(server.equals("bare") || server.equals("inos"))) {
      throw new IllegalArgumentException("need --port, --server bare|inos, 1..18000 connections (20,000 open files per"
        + " process here), --hold-s 1..3600");
    }
    boolean inos = server.equals("inos");
    if (tokenSecret != null && !inos) {
      throw new IllegalArgumentException("--token-secret signs INOS users in: only with --server inos");
    }
    if (inos && own && tokenSecret == null) {
      throw new IllegalArgumentException("own addresses on INOS need --token-secret: a probe reaches a user: address "
        + "only when posted as that user, and guests have no credentials to post with");
    }
    BenchTokens tokens = tokenSecret == null ? null : new BenchTokens(tokenSecret);
    List<String> addresses = new ArrayList<>(connections);
    List<String> users = new ArrayList<>(connections);
    List<JsonObject> headers = new ArrayList<>(connections);
    for (int i = 0; i < connections; i++) {
      // a signed-in user (a JWT in the Authorization header of its frames), or a guest that proposes its own id
      String user = tokens == null ? guestId() : String.format(Locale.ROOT, "bench_user_%05d", i);
      users.add(user);
      headers.add(!inos ? null : tokens == null ? new JsonObject().put(BusFrames.GUEST_ID_HEADER, user)
        : new JsonObject().put("Authorization", "Bearer " + tokens.issue(user, holdS + 600L)));
      addresses.add(inos ? (own ? "user:" + user : SHARED_INOS_ADDRESS) : (own ? "feed.idle." + i : "feed.idle"));
    }

    Vertx vertx = Vertx.vertx();
    SubscriberPool pool = new SubscriberPool(vertx, host, port, PATH, connections);
    AtomicIntegerArray probed = new AtomicIntegerArray(connections);
    AtomicInteger reached = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(1);
    int n = connections;
    long t0 = System.nanoTime();
    pool.open(i -> new SubscriberPool.Registration(addresses.get(i), headers.get(i)),
      (index, frame, nowNs) -> {
        if (BusFrames.seq(frame) >= 0 && probed.compareAndSet(index, 0, 1) && reached.incrementAndGet() == n) {
          all.countDown();
        }
      }, 100).await(5, TimeUnit.MINUTES);
    long openMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(Locale.ROOT, "idle: %d connections open and registered in %,d ms; probing%n", n, openMs);

    long t1 = System.nanoTime();
    Closer probes = inos ? probeInos(vertx, host, port, own, users, headers)
      : probeBare(vertx, host, port, own, addresses);
    if (!all.await(120, TimeUnit.SECONDS)) {
      System.err.printf(Locale.ROOT, "idle: only %d of %d connections received their probe (open %d, refusals %d)%n",
        reached.get(), n, pool.openConnections(), pool.refusals());
      probes.close().await(5, TimeUnit.SECONDS);
      pool.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      System.exit(1);
    }
    probes.close().await(5, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, READY + "%d connections (%s addresses, %s; probes received in %,d ms)%n", n,
      own ? "own" : "shared", tokens == null ? "guests" : "signed in with JWTs", (System.nanoTime() - t1) / 1_000_000);
    System.out.flush();

    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        pool.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("idle: close: " + e.getMessage());
      }
    }, "idle-shutdown"));
    boolean stopped = stop.await(holdS, TimeUnit.SECONDS);
    if (!stopped) {
      System.out.printf(Locale.ROOT, "idle: held %d s; %d still open, %d closed by the server; closing%n", holdS,
        pool.openConnections(), pool.unexpectedCloses());
      System.exit(0);
    }
  }

  /** Something to close once the probes are out. */
  private interface Closer {
    Future<Void> close();
  }

  private static Closer probeBare(Vertx vertx, String host, int port, boolean own, List<String> addresses) {
    var client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(PATH)).await();
    List<String> targets = own ? addresses : List.of(addresses.get(0));
    for (int i = 0; i < targets.size(); i++) {
      ws.writeTextMessage(BusFrames.publish(targets.get(i), BusFrames.feedBody(i, System.nanoTime())));
    }
    return client::close;
  }

  /**
   * INOS's REST door acts for the caller (it forces {@code user_id} to the caller's identity), so a probe to each
   * connection's own {@code user:} address is posted as that user, with the connection's token.
   */
  private static Closer probeInos(Vertx vertx, String host, int port, boolean own, List<String> users,
                                  List<JsonObject> headers) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(8));
    int count = own ? users.size() : 1;
    for (int i = 0; i < count; i++) {
      JsonObject gc = own ? new JsonObject().put("user_id", users.get(i))
        : new JsonObject().put("campaign_id", "bench_idle");
      String body = new JsonObject()
        .put("type", "bench:probe:v1:completed")
        .put("source", "bench")
        .put("metadata", new JsonObject().put("global_context", gc))
        .put("payload", new JsonObject().put("data", BusFrames.feedBody(i, System.nanoTime())))
        .encode();
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setURI("/api/events").putHeader("content-type", "application/json");
      String authorization = own ? headers.get(i).getString("Authorization") : null;
      if (authorization != null) {
        request.putHeader("Authorization", authorization);
      }
      client.request(request)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 202) {
            throw new IllegalStateException("POST /api/events answered " + resp.statusCode() + ": " + b);
          }
          return null;
        }))
        .onFailure(err -> System.err.println("idle: probe failed: " + err.getMessage()));
    }
    return client::close;
  }

  /** @return {@code guest_} + 32 lower-case hex digits, the form INOS accepts */
  private static String guestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format(Locale.ROOT, "guest_%016x%016x", r.nextLong(), r.nextLong());
  }
}
