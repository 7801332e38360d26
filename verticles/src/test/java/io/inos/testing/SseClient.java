package io.inos.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of {@code GET /api/events/stream} that keeps every frame it reads (event name, id, data; comments
 * skipped), in order, and notices when the stream ends or its connection breaks (a killed node).
 *
 * <pre>{@code
 * SseClient stream = ClusterNodes.await(SseClient.open(vertx, port, "feed:news", null));
 * ClusterNodes.awaitUntil("the feed arrives", () -> stream.count(f -> "feed:news".equals(f.event())) > 10);
 * stream.frames();              // a copy, in arrival order
 * stream.next();                // or one frame after the other, waiting for each
 * }</pre>
 */
public final class SseClient implements AutoCloseable {

  /** One frame of the stream. */
  public record Frame(String event, String id, String data) {
  }

  /** How long {@link #next} waits for a frame. */
  public static final Duration NEXT_WAIT = Duration.ofSeconds(20);

  private final HttpClient http;
  private final List<Frame> frames = new ArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private final Promise<Void> ended = Promise.promise();
  /** How many frames {@link #next} returned. */
  private int taken;
  private String event;
  private String id;
  private String data;

  private SseClient(HttpClient http) {
    this.http = http;
  }

  /**
   * Opens a stream of {@code address} on 127.0.0.1:{@code port}, with {@code Last-Event-ID} when
   * {@code lastEventId} is not {@code null}. Completes once the server answered 200 and its {@code open} frame
   * arrived (the subscription is in place then); fails otherwise.
   */
  public static Future<SseClient> open(Vertx vertx, int port, String address, String lastEventId) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI("/api/events/stream?address=" + address).putHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // a client of its own: a stream holds its connection for as long as it lives
    SseClient sse = new SseClient(vertx.createHttpClient());
    Promise<SseClient> opened = Promise.promise();
    // the handlers are set in the request's own callback, so while the head is handled: set from a later task (this
    // thread's callbacks on a future already complete), the chunks that came with the head would be dropped
    sse.http.request(options).compose(req -> req.send().onSuccess(response -> {
      if (response.statusCode() != 200) {
        response.body().onComplete(body -> opened.tryFail("the stream of " + address + " answered "
          + response.statusCode() + ": " + (body.succeeded() ? body.result() : body.cause())));
        return;
      }
      sse.follow(response, opened);
    })).onFailure(opened::tryFail);
    return opened.future();
  }

  private void follow(HttpClientResponse response, Promise<SseClient> opened) {
    response.handler(chunk -> {
      onChunk(chunk);
      if (!opened.future().isComplete() && count(f -> "open".equals(f.event())) > 0) {
        opened.tryComplete(this);
      }
    });
    response.endHandler(v -> end(opened, "the stream ended before it opened"));
    response.exceptionHandler(err -> end(opened, "the stream broke before it opened: " + err));
  }

  private void end(Promise<SseClient> opened, String why) {
    opened.tryFail(why);
    ended.tryComplete();
  }

  /** @return completes when the stream ends or its connection breaks */
  public Future<Void> ended() {
    return ended.future();
  }

  public boolean isEnded() {
    return ended.future().isComplete();
  }

  /** @return every frame read so far, in arrival order */
  public synchronized List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** @return how many frames read so far pass {@code filter} */
  public synchronized int count(Predicate<Frame> filter) {
    int n = 0;
    for (Frame f : frames) {
      if (filter.test(f)) {
        n++;
      }
    }
    return n;
  }

  /**
   * @return the frame after the one this returned last (the first frame, {@code open}, at the first call); fails
   * when none arrives within {@link #NEXT_WAIT}
   */
  public synchronized Frame next() throws InterruptedException {
    long deadline = System.nanoTime() + NEXT_WAIT.toNanos();
    while (frames.size() <= taken) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no SSE frame within " + NEXT_WAIT.toSeconds() + " s; got " + frames);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return frames.get(taken++);
  }

  /** Closes the connection. */
  @Override
  public void close() {
    http.close();
  }

  private synchronized void onChunk(Buffer chunk) {
    pending.append(chunk.toString());
    int nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, nl);
      pending.delete(0, nl + 1);
      if (line.isEmpty()) {
        if (data != null) {
          frames.add(new Frame(event, id, data));
          notifyAll();
        }
        event = null;
        id = null;
        data = null;
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
        switch (field) {
          case "event" -> event = value;
          case "id" -> id = value;
          case "data" -> data = value;
          default -> { }
        }
      }
    }
  }
}
