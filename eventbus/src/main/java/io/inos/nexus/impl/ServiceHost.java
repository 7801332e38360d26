package io.inos.nexus.impl;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeException;
import io.inos.graceful.Pipeline;
import io.inos.nexus.ActionHandler;
import io.inos.nexus.ActionRequest;
import io.inos.nexus.Addresses;
import io.inos.nexus.Event;
import io.inos.nexus.EventIds;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.nexus.Nexus;
import io.inos.nexus.Outcomes;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hosts one service on the event bus and runs the lifecycle of each of its requests:
 * {@code :requested} (recorded) → {@code :started} (published, recorded) → the handler, bounded in time →
 * {@code :success} or {@code :failed} through the service's pipeline → the answer to the caller.
 *
 * <p>All inboxes of a service are registered on one context: the caller's when {@code serve} is called on a Vert.x
 * thread (a verticle's, so undeploying it stops the service), else one new event-loop context. Handlers, their
 * futures and the pipeline may still complete on other threads, so the shared state here is thread-safe.
 */
final class ServiceHost implements Nexus.ServiceBinding {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);
  private static final String REQUEST_ATTRIBUTE = "nexus.request";
  private static final String EVENT_ATTRIBUTE = "nexus.outcome-event";
  private static final String RESULT_ATTRIBUTE = "nexus.result";

  private final NexusImpl nexus;
  private final Vertx vertx;
  private final ServiceDefinition service;
  private final Pipeline pipeline;
  private final DuplicateFilter duplicates;
  private final List<MessageConsumer<Object>> consumers = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<Promise<Void>> closing = new AtomicReference<>();
  private volatile boolean unregistered;

  ServiceHost(NexusImpl nexus, ServiceDefinition service, Pipeline pipeline) {
    this.nexus = nexus;
    this.vertx = nexus.vertx();
    this.service = service;
    this.pipeline = pipeline;
    this.duplicates = new DuplicateFilter(nexus.options().getDuplicateWindowMs(),
      nexus.options().getDuplicateCapacity(), nexus.options().getDuplicateAnswerCapacity());
  }

  Future<Void> start() {
    Context context = vertx.getOrCreateContext();
    if (Vertx.currentContext() == context) {
      return registerAll();
    }
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> registerAll().onComplete(registered));
    return registered.future();
  }

  private Future<Void> registerAll() {
    List<Future<Void>> registrations = new ArrayList<>();
    for (Map.Entry<String, ActionHandler> action : service.actions().entrySet()) {
      EventType type = EventType.of(service.name(), action.getKey(), service.version(), EventState.REQUESTED);
      ActionHandler handler = action.getValue();
      registrations.add(register(Addresses.of(type), msg -> onRequest(msg, type, handler)));
    }
    EventType health = EventType.of(service.name(), "health", 1, EventState.REQUESTED);
    registrations.add(register(Addresses.of(health), this::onHealth));
    return Future.all(registrations).mapEmpty();
  }

  private Future<Void> register(String address, Handler<Message<Object>> handler) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, handler);
    consumers.add(consumer);
    return consumer.completion();
  }

  @Override
  public ServiceDefinition definition() {
    return service;
  }

  /**
   * Unregisters the inboxes, then completes when the requests still running have been answered. Requests that
   * reach the host meanwhile are answered UNAVAILABLE. Calling it again returns the same future.
   */
  @Override
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    if (!closing.compareAndSet(null, closed)) {
      return closing.get().future();
    }
    List<Future<Void>> unregistrations = new ArrayList<>();
    for (MessageConsumer<Object> c : consumers) {
      unregistrations.add(c.unregister());
    }
    Future.join(unregistrations).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("service '{}': an inbox did not unregister cleanly: {}", service.name(), ar.cause().toString());
      }
      unregistered = true;
      completeCloseWhenDrained();
    });
    return closed.future();
  }

  private void completeCloseWhenDrained() {
    Promise<Void> closed = closing.get();
    if (closed != null && unregistered && inFlight.get() == 0) {
      closed.tryComplete();
    }
  }

  private void onHealth(Message<Object> msg) {
    Event probe;
    try {
      probe = NexusImpl.toEvent(msg.body());
    } catch (RuntimeException e) {
      msg.fail(Code.INVALID_ARGUMENT.grpcStatus(), e.getMessage());
      return;
    }
    JsonObject status = new JsonObject().put("status", closing.get() == null ? "UP" : "STOPPING")
      .put("service", service.name())
      .put("version", service.version())
      .put("actions", new JsonArray(new ArrayList<>(service.actions().keySet())))
      .put("in_flight", inFlight.get());
    Event answer = Outcomes.successEvent(probe, null, status, probe.metadata(), nexus.options().getSource());
    reply(msg, answer);
  }

  private void onRequest(Message<Object> msg, EventType expected, ActionHandler handler) {
    Event requested;
    try {
      requested = NexusImpl.toEvent(msg.body());
    } catch (RuntimeException e) {
      msg.fail(Code.INVALID_ARGUMENT.grpcStatus(), e.getMessage());
      return;
    }
    if (!requested.type().equals(expected)) {
      msg.fail(Code.INVALID_ARGUMENT.grpcStatus(), "an event of type " + requested.type()
        + " was sent to the inbox of " + expected);
      return;
    }
    if (closing.get() != null) {
      reply(msg, Outcomes.failedEvent(requested, Outcome.failure(Code.UNAVAILABLE,
        "service '" + service.name() + "' is stopping"), nexus.options().getSource()));
      return;
    }
    Promise<Event> answer = Promise.promise();
    RequestKey key = new RequestKey(requested.type(), requested.userId());
    DuplicateFilter.Seen earlier = duplicates.putIfAbsent(requested.id(), key, answer.future(), nowMs());
    if (earlier != null) {
      answerDuplicate(msg, requested, key, earlier);
      return;
    }
    inFlight.incrementAndGet();
    run(requested, handler, timeoutFor(msg))
      .onComplete(ar -> {
        Event outcome = ar.succeeded() ? ar.result()
          : Outcomes.failedEvent(requested, Outcome.of(ar.cause()), nexus.options().getSource());
        String code = codeOf(outcome);
        duplicates.answered(requested.id(), outcome.id(), code, nowMs());
        answer.complete(outcome);
        reply(msg, outcome, code);
        inFlight.decrementAndGet();
        completeCloseWhenDrained();
      });
  }

  /** Processed once: a duplicate gets the first one's answer, now or when it is ready, or is refused. */
  private void answerDuplicate(Message<Object> msg, Event requested, RequestKey key, DuplicateFilter.Seen earlier) {
    String source = nexus.options().getSource();
    if (!earlier.fingerprint().equals(key)) {
      reply(msg, Outcomes.failedEvent(requested, Outcome.failure(Code.ALREADY_EXISTS, "event id '"
        + requested.id() + "' was already used by another request"), source));
    } else if (earlier.answer() != null) {
      earlier.answer().onSuccess(e -> reply(msg, e));
    } else {
      reply(msg, Outcomes.failedEvent(requested, Outcome.failure(Code.ALREADY_EXISTS, "event id '"
          + requested.id() + "' was already processed, answered " + earlier.answerCode() + " with event "
          + earlier.answerId() + "; that answer is no longer kept")
        .withContext(new JsonObject().put("answer_id", earlier.answerId()).put("answer_code", earlier.answerCode())),
        source));
    }
  }

  /** What tells a true duplicate (the same request again) from another request that reuses its id. */
  private record RequestKey(EventType type, String userId) {
  }

  private static long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  private long timeoutFor(Message<Object> msg) {
    long timeout = service.handlerTimeoutMs() > 0 ? service.handlerTimeoutMs() : nexus.options().getHandlerTimeoutMs();
    String header = msg.headers().get(NexusImpl.TIMEOUT_HEADER);
    if (header != null) {
      try {
        timeout = Math.min(timeout, Math.max(1, Long.parseLong(header)));
      } catch (NumberFormatException ignored) {
        // a caller's bad header does not change our own bound
      }
    }
    return timeout;
  }

  private Future<Event> run(Event requested, ActionHandler handler, long timeoutMs) {
    try {
      Instant startedAt = Instant.now();
      String source = nexus.options().getSource();
      nexus.record(requested);
      Event started = Outcomes.startedEvent(requested, startedAt, source);
      nexus.publish(started);
      nexus.record(started);
      Future<JsonObject> handled = invoke(requested, handler, timeoutMs);
      // most handlers and hooks answer at once: then no future is chained, the answer is made right here
      return handled.isComplete() ? finish(requested, startedAt, source, handled)
        : handled.transform(ar -> finish(requested, startedAt, source, ar));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Runs the pipeline on the handler's result and makes the outcome event. */
  private Future<Event> finish(Event requested, Instant startedAt, String source, AsyncResult<JsonObject> handled) {
    // the one copy of the handler's result (the handler may keep its own): shared by the outcome and the event
    JsonObject result = null;
    Outcome outcome;
    if (handled.succeeded()) {
      result = handled.result() == null ? new JsonObject() : JsonCopy.of(handled.result());
      outcome = Outcome.successAdopting(result);
    } else {
      outcome = Outcome.of(handled.cause());
    }
    OutcomeContext ctx = OutcomeContext.builder(service.name(), requested.type().action(), outcome)
      .requestEventId(requested.id())
      .outcomeEventId(EventIds.next())
      .correlationId(requested.correlationId())
      .userId(requested.userId())
      .campaignId(requested.campaignId())
      .startedAt(startedAt)
      .metadata(requested.metadata())
      .build()
      .attribute(REQUEST_ATTRIBUTE, requested)
      .attribute(RESULT_ATTRIBUTE, result);
    Future<OutcomeContext> done = pipeline.run(ctx);
    return done.succeeded() ? Future.succeededFuture(outcomeEvent(done.result(), source))
      : done.map(c -> outcomeEvent(c, source));
  }

  /**
   * Runs the handler, turning a throw, a missing future or silence past the deadline into a failure. The deadline
   * is a timer only for a handler whose future is still pending when it returns: one that has already answered
   * needs no bound.
   */
  private Future<JsonObject> invoke(Event requested, ActionHandler handler, long timeoutMs) {
    Future<JsonObject> f;
    try {
      f = handler.handle(new ActionRequest(requested));
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
    if (f == null) {
      return Future.failedFuture(OutcomeException.of(Code.INTERNAL, "the handler of " + requested.type()
        + " returned no future"));
    }
    if (f.isComplete()) {
      return f;
    }
    Promise<JsonObject> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> result.tryFail(OutcomeException.of(Code.DEADLINE_EXCEEDED,
      service.name() + ":" + requested.type().action() + " did not finish within " + timeoutMs + " ms")));
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  /** @return the outcome event of a pipeline run, made once and shared by every hook that needs it */
  static Event outcomeEvent(OutcomeContext ctx, String source) {
    Event event = ctx.attribute(EVENT_ATTRIBUTE);
    if (event == null) {
      event = Handover.get().outcomeEvent(ctx.attribute(REQUEST_ATTRIBUTE), ctx, ctx.attribute(RESULT_ATTRIBUTE),
        source);
      ctx.attribute(EVENT_ATTRIBUTE, event);
    }
    return event;
  }

  private static String codeOf(Event answer) {
    return answer.type().hasState(EventState.SUCCESS) ? Code.OK.name() : Outcomes.outcomeOf(answer).code().name();
  }

  private static void reply(Message<Object> msg, Event answer) {
    reply(msg, answer, codeOf(answer));
  }

  /** Answers in the form the request came in: the value itself on the local bus, JSON to JSON senders. */
  private static void reply(Message<Object> msg, Event answer, String code) {
    DeliveryOptions options = new DeliveryOptions().addHeader(NexusImpl.OUTCOME_HEADER, code);
    msg.reply(msg.body() instanceof Event ? answer : answer.toJson(), options);
  }
}
