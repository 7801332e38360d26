package io.inos.bench.fanout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes through INOS's REST door: {@code POST /api/events} with a non-{@code :requested} event envelope, which
 * INOS publishes on the Nexus and answers 202. Used while the bridge's rules let no guest publish to a feed address.
 * A keep-alive pool of connections; any answer other than 202 counts as an error, and each answer's round trip is
 * recorded.
 */
public final class HttpEventsPublisher implements FeedPublisher {

  /**
   * Keep-alive connections: enough that the answers' round trips never cap the rate (at 1,000 messages/s and a
   * 30 ms round trip, 30 are busy), so the publisher runs on schedule unless the server itself is late.
   */
  public static final int DEFAULT_CONNECTIONS = 64;

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final FeedMessages messages;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final Recorder roundTrips = new Recorder(3);
  private HttpClientAgent client;

  public HttpEventsPublisher(Vertx vertx, String host, int port, FeedMessages messages) {
    if (!messages.isEnvelope()) {
      throw new IllegalArgumentException("POST /api/events takes event envelopes");
    }
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.messages = messages;
  }

  @Override
  public Future<Void> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(host).setDefaultPort(port),
      new PoolOptions().setHttp1MaxSize(DEFAULT_CONNECTIONS));
    return Future.succeededFuture();
  }

  @Override
  public void publish(long seq, long dueNs) {
    String body = messages.body(seq, dueNs).encode();
    long sentNs = System.nanoTime();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/events")
        .putHeader("content-type", "application/json"))
      .compose(req -> req.send(body))
      .compose(resp -> resp.body().map(answer -> {
        if (resp.statusCode() != 202) {
          throw new IllegalStateException("POST /api/events answered " + resp.statusCode() + ": " + answer);
        }
        roundTrips.recordValue((System.nanoTime() - sentNs) / 1_000);
        return null;
      }))
      .onFailure(err -> {
        errors.incrementAndGet();
        firstError.compareAndSet(null, err.getMessage());
      });
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
    return "`POST /api/events` over up to " + DEFAULT_CONNECTIONS + " keep-alive HTTP/1.1 connections (" + messages.describe()
      + ")";
  }

  @Override
  public Histogram takeRoundTrips() {
    return roundTrips.getIntervalHistogram();
  }

  @Override
  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
