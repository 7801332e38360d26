package io.inos.bench.fanout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes over one more event-bus bridge connection: {@code {"type":"publish","address":…,"body":…}} frames, as a
 * browser using {@code eb.publish(address, body)} would. Refusals ({@code err} frames) count as errors. Pings like
 * the JS client, so the server keeps the connection between the steps of a sweep.
 */
public final class WsFeedPublisher implements FeedPublisher {

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final String path;
  private final String address;
  private final FeedMessages messages;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private WebSocketClient client;
  private WebSocket ws;
  private long pingTimer = -1;

  public WsFeedPublisher(Vertx vertx, String host, int port, String path, String address, FeedMessages messages) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.path = path;
    this.address = address;
    this.messages = messages;
  }

  @Override
  public Future<Void> start() {
    client = vertx.createWebSocketClient();
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path))
      .map(socket -> {
        ws = socket;
        ws.handler(frame -> {
          if (BusFrames.isError(frame)) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, frame.toString());
          }
        });
        ws.closeHandler(v -> firstError.compareAndSet(null, "the server closed the publisher's connection"));
        pingTimer = vertx.setPeriodic(BusFrames.PING_INTERVAL_MS, t -> ws.writeTextMessage(BusFrames.PING));
        return null;
      });
  }

  @Override
  public void publish(long seq, long dueNs) {
    if (ws.isClosed()) {
      errors.incrementAndGet();
      return;
    }
    ws.writeTextMessage(BusFrames.publish(address, messages.body(seq, dueNs)));
  }

  @Override
  public long errors() {
    return errors.get();
  }

  @Override
  public String firstError() {
    return firstError.get();
  }

  @Override
  public String describe() {
    return "event-bus `publish` frames to `" + address + "` over one WebSocket (" + messages.describe() + ")";
  }

  @Override
  public Future<Void> close() {
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    return client == null ? Future.succeededFuture() : client.close();
  }
}
