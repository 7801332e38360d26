package io.inos.adapters.grpc;

import io.inos.adapters.grpc.impl.EventFilter;
import io.inos.adapters.grpc.impl.EventStream;
import io.inos.adapters.grpc.impl.LocalEventTap;
import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Nexus;
import io.inos.nexus.Outcomes;
import io.inos.proto.common.v1.EventEnvelope;
import io.inos.proto.nexus.v1.EmitEventRequest;
import io.inos.proto.nexus.v1.EmitEventResponse;
import io.inos.proto.nexus.v1.NexusServiceGrpcService;
import io.inos.proto.nexus.v1.NexusServiceService;
import io.inos.proto.nexus.v1.SubscribeEventsRequest;
import io.vertx.core.Future;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Descriptors;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code inos.nexus.v1.NexusService}: the Nexus over gRPC.
 * <ul>
 *   <li>{@code EmitEvent}: a {@code :requested} event goes to its service; with {@code await_outcome} the call waits
 *   and answers with the {@code :success} envelope, or fails with the status of the {@code :failed} outcome's code
 *   and its message (the proto envelope has no room for the error), or with the status of why no service answered
 *   (NOT_FOUND, UNIMPLEMENTED, DEADLINE_EXCEEDED). Without it the call returns at once. Any other event is
 *   published. A malformed envelope fails with INVALID_ARGUMENT.</li>
 *   <li>{@code SubscribeEvents}: a server stream of the events matching the types or glob patterns
 *   ({@code campaign:*}), optionally of one campaign and/or user, until the client cancels.</li>
 * </ul>
 * Register {@link #grpcService()} with a {@link GrpcServer} (it notices cancelled streams at once);
 * {@code NexusServiceGrpcService.of(this)} works too, but then a cancelled idle stream is only noticed when an event
 * fails to be written to it.
 */
public class NexusGrpcService extends NexusServiceService {

  private static final Logger LOG = LoggerFactory.getLogger(NexusGrpcService.class);

  private final Nexus nexus;
  private final NexusGrpcOptions options;
  private final LocalEventTap tap;
  private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

  public NexusGrpcService(Nexus nexus) {
    this(nexus, new NexusGrpcOptions());
  }

  public NexusGrpcService(Nexus nexus, NexusGrpcOptions options) {
    this.nexus = nexus;
    this.options = new NexusGrpcOptions(options);
    this.tap = new LocalEventTap(nexus.vertx().eventBus());
  }

  /** @return this implementation as a service for {@link GrpcServer#addService} */
  public Service grpcService() {
    Service emit = NexusServiceGrpcService.builder(this).bind(NexusServiceGrpcService.EmitEvent).build();
    return new Service() {
      @Override
      public ServiceName name() {
        return NexusServiceGrpcService.SERVICE_NAME;
      }

      @Override
      public Descriptors.ServiceDescriptor descriptor() {
        return NexusServiceGrpcService.SERVICE_DESCRIPTOR;
      }

      @Override
      public void bind(GrpcServer server) {
        emit.bind(server);
        server.callHandler(NexusServiceGrpcService.SubscribeEvents, NexusGrpcService.this::onSubscribeCall);
      }
    };
  }

  /** @return the {@code SubscribeEvents} streams open now */
  public int activeStreams() {
    return streams.size();
  }

  /** Ends every open stream with UNAVAILABLE (the server is going away). */
  public void close() {
    for (EventStream stream : streams) {
      stream.end(new StatusException(GrpcStatus.UNAVAILABLE, "the server is shutting down"));
    }
  }

  @Override
  public Future<EmitEventResponse> emitEvent(EmitEventRequest request) {
    try {
      return emit(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcStatuses.toException(e));
    }
  }

  private Future<EmitEventResponse> emit(EmitEventRequest request) {
    if (!request.hasEvent()) {
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, "field 'event' is required"));
    }
    Event event = EventEnvelopes.toEvent(request.getEvent(), options.getSource());
    if (!event.type().hasState(EventState.REQUESTED)) {
      nexus.publish(event);
      return Future.succeededFuture(accepted(event, null));
    }
    long timeout = options.getRequestTimeoutMs() > 0 ? options.getRequestTimeoutMs()
      : nexus.options().getRequestTimeoutMs();
    Future<Event> answer = nexus.exchange(event, timeout);
    if (!request.getAwaitOutcome()) {
      answer.onFailure(err -> LOG.debug("EmitEvent {} got no outcome: {}", event, err.toString()));
      return Future.succeededFuture(accepted(event, null));
    }
    return answer.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(GrpcStatuses.toException(ar.cause()));
      }
      Event outcome = ar.result();
      if (outcome.type().hasState(EventState.SUCCESS)) {
        return Future.succeededFuture(accepted(event, EventEnvelopes.toProto(outcome)));
      }
      return Future.failedFuture(GrpcStatuses.toException(Outcomes.outcomeOf(outcome)));
    });
  }

  private static EmitEventResponse accepted(Event event, EventEnvelope outcome) {
    EmitEventResponse.Builder response = EmitEventResponse.newBuilder().setAccepted(true).setEventId(event.id());
    if (outcome != null) {
      response.setOutcome(outcome);
    }
    return response.build();
  }

  @Override
  protected void subscribeEvents(SubscribeEventsRequest request, WriteStream<EventEnvelope> response) {
    openStream(request, response, null);
  }

  private void onSubscribeCall(GrpcServerRequest<SubscribeEventsRequest, EventEnvelope> call) {
    call.handler(request -> openStream(request, call.response(), call));
  }

  private void openStream(SubscribeEventsRequest request, WriteStream<EventEnvelope> response,
                          GrpcServerRequest<SubscribeEventsRequest, EventEnvelope> call) {
    EventFilter filter;
    try {
      filter = EventFilter.of(request);
    } catch (IllegalArgumentException e) {
      EventStream.fail(response, GrpcStatuses.toException(Outcome.failure(Code.INVALID_ARGUMENT, e.getMessage())));
      return;
    }
    EventStream[] self = new EventStream[1];
    EventStream stream = new EventStream(nexus.vertx(), filter, response, tap, () -> streams.remove(self[0]));
    self[0] = stream;
    streams.add(stream);
    if (call != null) {
      call.errorHandler(error -> stream.close());
    }
    response.exceptionHandler(err -> stream.close());
    stream.start().onComplete(ar -> {
      if (ar.failed()) {
        stream.end(GrpcStatuses.toException(ar.cause()));
      } else if (response instanceof GrpcServerResponse<?, ?> grpc) {
        // headers now tell the client the subscription is live, before any event
        grpc.writeHead();
      }
    });
  }
}
