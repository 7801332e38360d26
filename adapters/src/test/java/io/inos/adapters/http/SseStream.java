package io.inos.adapters.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A minimal Server-Sent Events client over a raw chunked HTTP response: it parses the lines ({@code event:},
 * {@code data:}, {@code id:}, {@code retry:}, comments) into frames as the text/event-stream spec says.
 */
final class SseStream {

  /** One dispatched event, or a comment line ({@code event} null, {@code comment} set). */
  record Frame(String event, String id, String data, String comment) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  final int status;
  final String contentType;
  /** What the response held when it was no stream (status not 200), once it ended; for assertion messages. */
  String errorBody;
  final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final HttpClientResponse response;
  private final Promise<Void> ended = Promise.promise();
  private final StringBuilder pending = new StringBuilder();
  private String event;
  private String id;
  private StringBuilder data;

  private SseStream(HttpClientResponse response, Void unused) {
    this.response = response;
    this.status = response.statusCode();
    this.contentType = response.getHeader("Content-Type");
  }

  static Future<SseStream> open(HttpClient client, int port, String uri, String authorization) {
    return open(client, port, uri, authorization, null);
  }

  /** @param lastEventId sent as {@code Last-Event-ID}, as EventSource does when it reconnects; or {@code null} */
  static Future<SseStream> open(HttpClient client, int port, String uri, String authorization, String lastEventId) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI(uri).putHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    // The response callback is attached inside the request's callback, which Vert.x runs on the connection's event
    // loop before the request is sent: it then runs while the response head is handled, and the handlers are set
    // before the chunks that came with the head are dispatched (a response with no handler drops its chunks).
    // Chained as request(...).compose(send).compose(callback) instead, the callback is attached from the calling
    // thread; when that thread was descheduled until the exchange was done, the callback ran as a later event-loop
    // task and the stream lost its first frames (retry, open).
    return client.request(options).compose(req -> req.send().map(SseStream::reading));
  }

  /** @return the stream over {@code resp}, its handlers set; a refusal's body is kept for the assertion message */
  private static SseStream reading(HttpClientResponse resp) {
    SseStream stream = new SseStream(resp, null);
    resp.handler(stream::onChunk);
    resp.endHandler(v -> stream.ended.tryComplete());
    return stream;
  }

  private synchronized void onChunk(Buffer chunk) {
    pending.append(chunk.toString());
    if (status != 200) {
      errorBody = pending.toString();
      return;
    }
    int nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, nl);
      pending.delete(0, nl + 1);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      onLine(line);
    }
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        frames.add(new Frame(event == null ? "message" : event, id, data.toString(), null));
      }
      // unlike EventSource's last-event-id, which persists, a frame here carries only its own id: line
      event = null;
      id = null;
      data = null;
      return;
    }
    if (line.startsWith(":")) {
      frames.add(new Frame(null, null, null, line.substring(1).trim()));
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> event = value;
      case "id" -> id = value;
      case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      default -> { } // retry and unknown fields
    }
  }

  /** @return the next frame that {@code wanted} accepts, skipping others; fails the test after 10 s */
  Frame next(Predicate<Frame> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long left = deadline - System.nanoTime();
      Frame frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (frame == null) {
        return fail("no matching SSE frame within 10 s");
      }
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  /** @return the next event named {@code name} */
  Frame nextEvent(String name) throws InterruptedException {
    return next(f -> name.equals(f.event()));
  }

  /** @return completes when the server ends the response */
  Future<Void> ended() {
    return ended.future();
  }

  /** Stops reading: the server's writes back up, as behind a slow network. */
  void pause() {
    response.pause();
  }

  void resume() {
    response.resume();
  }

  /** Drops the connection, as a browser tab closing would. */
  Future<Void> close() {
    return response.request().connection().close();
  }
}
