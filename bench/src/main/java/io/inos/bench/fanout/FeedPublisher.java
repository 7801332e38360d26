package io.inos.bench.fanout;

import io.vertx.core.Future;
import org.HdrHistogram.Histogram;

/**
 * The one publisher of a fan-out run: it puts feed message {@code seq} on the server, by whatever inbound route that
 * server permits ({@link WsFeedPublisher}: an event-bus {@code publish} frame; {@link HttpEventsPublisher}: INOS's
 * {@code POST /api/events}).
 */
public interface FeedPublisher {

  /** Connects; completes when the publisher can publish. */
  Future<Void> start();

  /**
   * Publishes one feed message; called on the publisher's own context.
   *
   * @param seq the message's sequence number
   * @param dueNs when the message was due by the schedule ({@link System#nanoTime()}), carried in the body as
   *              {@code sent_ns}, so that a publisher running late shows up in the latency
   */
  void publish(long seq, long dueNs);

  /** @return publishes the server refused or that failed */
  long errors();

  /** @return the first failure's description, or {@code null} */
  String firstError();

  /** @return how the messages travel, for the report */
  String describe();

  /**
   * @return the round trips of the publishes since the last call, in microseconds, for a publisher whose publishes
   * are answered ({@code POST}); {@code null} for one that fires and forgets
   */
  default Histogram takeRoundTrips() {
    return null;
  }

  Future<Void> close();
}
