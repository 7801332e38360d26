package io.inos.adapters.grpc.impl;

import io.inos.adapters.grpc.EventEnvelopes;
import io.inos.nexus.Addresses;
import io.inos.nexus.Event;
import io.inos.proto.common.v1.EventEnvelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One {@code SubscribeEvents} call: where its events come from and how they are written.
 * <ul>
 *   <li>only exact types: a consumer on each type address (cluster-wide);</li>
 *   <li>else with a user: a consumer on {@code user:{id}}, filtered (cluster-wide);</li>
 *   <li>else: the {@link LocalEventTap}, filtered (this node's events only).</li>
 * </ul>
 * A stream whose client reads too slowly loses events (counted) rather than buffering them without bound.
 */
public final class EventStream {

  private final Vertx vertx;
  private final EventFilter filter;
  private final WriteStream<EventEnvelope> response;
  private final LocalEventTap tap;
  private final Runnable onClosed;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private final Consumer<Event> tapListener = this::fromTap;
  private final AtomicLong dropped = new AtomicLong();
  private Context context;
  private boolean tapped;
  private volatile boolean closed;

  public EventStream(Vertx vertx, EventFilter filter, WriteStream<EventEnvelope> response, LocalEventTap tap,
                     Runnable onClosed) {
    this.vertx = vertx;
    this.filter = filter;
    this.response = response;
    this.tap = tap;
    this.onClosed = onClosed;
  }

  /** Starts listening; completes when events can flow. Must run on the call's context. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    List<String> addresses = filter.onlyExactTypes();
    if (addresses.isEmpty() && filter.userId() != null) {
      addresses = List.of(Addresses.user(filter.userId()));
    }
    if (addresses.isEmpty()) {
      tapped = true;
      tap.add(tapListener);
      return Future.succeededFuture();
    }
    List<Future<Void>> registrations = new ArrayList<>();
    for (String address : addresses) {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, msg -> {
        if (msg.body() instanceof Event event && filter.matches(event)) {
          write(event);
        }
      });
      consumers.add(consumer);
      registrations.add(consumer.completion());
    }
    return Future.all(registrations).mapEmpty();
  }

  /** @return events dropped because the client read too slowly */
  public long droppedEvents() {
    return dropped.get();
  }

  /** Stops listening (the client went away or the stream ended). */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (tapped) {
      tap.remove(tapListener);
    }
    for (MessageConsumer<Object> consumer : consumers) {
      consumer.unregister();
    }
    onClosed.run();
  }

  /** Stops listening and ends the call with {@code status}. */
  public void end(StatusException status) {
    close();
    context.runOnContext(v -> fail(response, status));
  }

  /** Ends {@code response} with {@code status}, or plainly when it is not a gRPC response. */
  public static void fail(WriteStream<EventEnvelope> response, StatusException status) {
    if (response instanceof GrpcServerResponse<?, ?> grpc) {
      grpc.fail(status);
    } else {
      response.end();
    }
  }

  private void fromTap(Event event) {
    if (!closed && filter.matches(event)) {
      context.runOnContext(v -> write(event));
    }
  }

  private void write(Event event) {
    if (closed) {
      return;
    }
    if (response.writeQueueFull()) {
      dropped.incrementAndGet();
      return;
    }
    response.write(EventEnvelopes.toProto(event)).onFailure(err -> close());
  }
}
