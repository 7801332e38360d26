package io.inos.bench.fanout;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * N raw WebSocket connections to an event-bus bridge ({@code ws://host:port/eventbus/websocket}), each registered at
 * one address, pinging every {@link BusFrames#PING_INTERVAL_MS} as the JS client does. Opened with a bounded number of
 * handshakes at once, so the server's accept queue is never the thing measured.
 *
 * <p>Each connection lives on the event loop the client picked for it; its frames go to the {@link Sink} on that
 * thread, so a sink sees one connection's frames in order, but several connections' frames concurrently.
 */
public final class SubscriberPool {

  /** Where the frames of every connection go. */
  public interface Sink {
    /** A frame from connection {@code index}, received at {@code nowNs} ({@link System#nanoTime()}). */
    void onFrame(int index, Buffer frame, long nowNs);
  }

  /** What connection {@code index} registers: the address and the frame's headers ({@code null} for none). */
  public record Registration(String address, JsonObject headers) {
  }

  private final Vertx vertx;
  private final String host;
  private final List<Integer> ports;
  private final String path;
  private final WebSocketClient client;
  private final AtomicReferenceArray<WebSocket> sockets;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger unexpectedCloses = new AtomicInteger();
  private volatile boolean closing;
  private long pingTimer = -1;
  private long pingTicks; // touched only by the ping timer

  public SubscriberPool(Vertx vertx, String host, int port, String path, int size) {
    this(vertx, host, List.of(port), path, size);
  }

  /** Connection {@code i} goes to {@code ports.get(i % ports.size())}: subscribers spread over several nodes. */
  public SubscriberPool(Vertx vertx, String host, List<Integer> ports, String path, int size) {
    this.vertx = vertx;
    this.host = host;
    this.ports = List.copyOf(ports);
    this.path = path;
    // one endpoint, N connections: the client's default cap per endpoint would queue all but a few
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(size + 1)
      .setConnectTimeout(30_000));
    this.sockets = new AtomicReferenceArray<>(size);
  }

  /**
   * Opens every connection and sends its {@code register} frame.
   *
   * @param concurrency handshakes in flight at once
   * @return completes when every connection is open and has sent its register frame; fails on the first connection
   * that cannot be opened
   */
  public Future<Void> open(IntFunction<Registration> registration, Sink sink, int concurrency) {
    int size = sockets.length();
    // pinging starts with the first connection: opening thousands takes longer than the server's ping timeout
    pingTimer = vertx.setPeriodic(1_000, this::pingSome);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger chainsLeft = new AtomicInteger(Math.min(concurrency, size));
    Promise<Void> all = Promise.promise();
    if (size == 0) {
      all.complete();
    }
    for (int c = 0; c < Math.min(concurrency, size); c++) {
      openNext(next, registration, sink).onComplete(ar -> {
        if (ar.failed()) {
          all.tryFail(ar.cause());
        } else if (chainsLeft.decrementAndGet() == 0) {
          all.tryComplete();
        }
      });
    }
    return all.future();
  }

  /** One chain of handshakes: opens the next unopened index until none is left. */
  private Future<Void> openNext(AtomicInteger next, IntFunction<Registration> registration, Sink sink) {
    int index = next.getAndIncrement();
    if (index >= sockets.length()) {
      return Future.succeededFuture();
    }
    Registration reg = registration.apply(index);
    int port = ports.get(index % ports.size());
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path))
      .compose(ws -> {
        sockets.set(index, ws);
        open.incrementAndGet();
        ws.handler(frame -> {
          if (BusFrames.isError(frame)) {
            refusals.incrementAndGet();
          }
          sink.onFrame(index, frame, System.nanoTime());
        });
        ws.closeHandler(v -> {
          open.decrementAndGet();
          if (!closing) {
            unexpectedCloses.incrementAndGet();
          }
        });
        return ws.writeTextMessage(BusFrames.register(reg.address(), reg.headers()));
      })
      .recover(err -> Future.failedFuture(new IllegalStateException("subscriber " + index + " could not connect to "
        + host + ":" + port + path + ": " + err.getMessage(), err)))
      .compose(v -> openNext(next, registration, sink));
  }

  /** A fifth of the connections each second, so every one pings every five seconds and the pings are spread out. */
  private void pingSome(long timer) {
    int slot = (int) (pingTicks++ % 5);
    for (int i = slot; i < sockets.length(); i += 5) {
      WebSocket ws = sockets.get(i);
      if (ws != null && !ws.isClosed()) {
        ws.writeTextMessage(BusFrames.PING);
      }
    }
  }

  /** @return connections open now */
  public int openConnections() {
    return open.get();
  }

  /** @return {@code err} frames received so far (a refused register, for example) */
  public int refusals() {
    return refusals.get();
  }

  /** @return connections the server closed (or that broke) before {@link #close()} */
  public int unexpectedCloses() {
    return unexpectedCloses.get();
  }

  /** Closes every connection. */
  public Future<Void> close() {
    closing = true;
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    return client.close();
  }
}
