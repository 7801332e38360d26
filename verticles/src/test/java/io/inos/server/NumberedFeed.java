package io.inos.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;

/**
 * A steady numbered feed published through {@code POST /api/events} on one node, for the fault tests: event
 * {@code n} (from 1) carries {@code payload.data = {"origin": origin, "n": n}}. One request is in flight at a time,
 * so the node publishes the events in the order of their numbers; a new one goes out every {@code periodMs} at most.
 * Keeps the id the node gave each event, and every request that did not end in 202.
 */
final class NumberedFeed {

  /** A node that does not answer within this fails the request (and the test that checks the failures). */
  private static final long REQUEST_TIMEOUT_MS = 20_000;

  private final WebClient web;
  private final int port;
  private final String type;
  private final String origin;
  private final Context context;
  private final List<String> ids = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final Promise<Void> stopped = Promise.promise();
  private long timer = -1;
  private boolean inFlight;
  private boolean stopping;

  private NumberedFeed(Vertx vertx, WebClient web, int port, String type, String origin) {
    this.web = web;
    this.port = port;
    this.type = type;
    this.origin = origin;
    this.context = vertx.getOrCreateContext();
  }

  /** Starts publishing events of {@code type} on the node listening at {@code port}. */
  static NumberedFeed start(Vertx vertx, WebClient web, int port, String type, String origin, long periodMs) {
    NumberedFeed feed = new NumberedFeed(vertx, web, port, type, origin);
    feed.context.runOnContext(v -> feed.timer = vertx.setPeriodic(periodMs, id -> feed.tick()));
    return feed;
  }

  String origin() {
    return origin;
  }

  /** @return how many events the node accepted so far (the last one's number) */
  synchronized int published() {
    return ids.size();
  }

  /** @return the ids of the accepted events, the id of event {@code n} at index {@code n - 1} */
  synchronized List<String> ids() {
    return List.copyOf(ids);
  }

  /** @return the requests that were not answered 202, with why */
  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops publishing; completes once the last request was answered. */
  Future<Void> stop() {
    context.runOnContext(v -> {
      stopping = true;
      context.owner().cancelTimer(timer);
      if (!inFlight) {
        stopped.tryComplete();
      }
    });
    return stopped.future();
  }

  private void tick() {
    if (inFlight || stopping) {
      return;
    }
    inFlight = true;
    int n = published() + 1;
    web.post(port, "127.0.0.1", "/api/events").timeout(REQUEST_TIMEOUT_MS)
      .sendJsonObject(new JsonObject().put("type", type)
        .put("payload", new JsonObject().put("data", new JsonObject().put("origin", origin).put("n", n))))
      .onComplete(ar -> {
        synchronized (this) {
          if (ar.succeeded() && ar.result().statusCode() == 202) {
            ids.add(ar.result().bodyAsJsonObject().getString("id"));
          } else {
            // not counted: the next request carries the same number again
            failures.add("event " + n + ": " + (ar.succeeded() ? ar.result().statusCode() + " "
              + ar.result().bodyAsString() : ar.cause().toString()));
          }
        }
        inFlight = false;
        if (stopping) {
          stopped.tryComplete();
        }
      });
  }
}
