package io.inos.nexus.impl;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeException;
import io.inos.graceful.OutcomeHook;
import io.inos.graceful.Pipeline;
import io.inos.graceful.hooks.LogHook;
import io.inos.graceful.hooks.MetadataNormaliser;
import io.inos.graceful.hooks.MetricsHook;
import io.inos.nexus.Addresses;
import io.inos.nexus.Event;
import io.inos.nexus.EventCodec;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.nexus.Nexus;
import io.inos.nexus.NexusOptions;
import io.inos.nexus.Outcomes;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/** The Nexus on a Vert.x event bus. */
public final class NexusImpl implements Nexus {

  /** The header carrying how long the caller waits, so the host never runs a handler longer than that. */
  static final String TIMEOUT_HEADER = "inos-timeout-ms";
  /** The header carrying the outcome code of an answer. */
  public static final String OUTCOME_HEADER = "inos-outcome";
  private static final long HEALTH_PROBE_TIMEOUT_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(NexusImpl.class);
  /** Publishing needs no options; one shared instance, never changed, saves making one per publish. */
  private static final DeliveryOptions PUBLISH = new DeliveryOptions();

  private final Vertx vertx;
  private final EventBus eventBus;
  private final NexusOptions options;
  private final Pipeline pipeline;
  /** The usual request timeout and its header text, made once. */
  private final long defaultTimeoutMs;
  private final String defaultTimeoutText;

  public NexusImpl(Vertx vertx, NexusOptions options) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.options = options;
    this.defaultTimeoutMs = options.getRequestTimeoutMs();
    this.defaultTimeoutText = Long.toString(defaultTimeoutMs);
    EventCodec.registerOn(eventBus);
    // The metrics step stays in the pipeline even without a registry, so services can replace it by name.
    OutcomeHook metrics = options.getMeterRegistry() == null ? ctx -> Future.succeededFuture()
      : new MetricsHook(options.getMeterRegistry());
    this.pipeline = Pipeline.standard(new MetadataNormaliser(), this::emit, new LogHook(), metrics, this::ledger);
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public NexusOptions options() {
    return options;
  }

  @Override
  public Pipeline pipeline() {
    return pipeline;
  }

  @Override
  public void publish(Event event) {
    if (event.type().hasState(EventState.REQUESTED)) {
      // a request is for one host of its service, not for all of them
      eventBus.send(Addresses.of(event.type()), event);
      return;
    }
    eventBus.publish(Addresses.of(event.type()), event, PUBLISH);
    String scope = Addresses.scopeOf(event);
    if (scope != null) {
      eventBus.publish(scope, event, PUBLISH);
    }
  }

  @Override
  public Future<Event> request(Event requested) {
    return request(requested, options.getRequestTimeoutMs());
  }

  @Override
  public Future<Event> request(Event requested, long timeoutMs) {
    return exchange(requested, timeoutMs, true);
  }

  @Override
  public Future<Event> exchange(Event requested, long timeoutMs) {
    return exchange(requested, timeoutMs, false);
  }

  /** @param successOnly whether a {@code :failed} answer fails the future with its outcome (request) */
  private Future<Event> exchange(Event requested, long timeoutMs, boolean successOnly) {
    EventType type = requested.type();
    if (!type.hasState(EventState.REQUESTED)) {
      return Future.failedFuture(OutcomeException.of(Code.INVALID_ARGUMENT,
        "only :requested events can be sent as requests, not " + type));
    }
    if (timeoutMs <= 0) {
      return Future.failedFuture(OutcomeException.of(Code.INVALID_ARGUMENT,
        "a request's timeout must be positive, was " + timeoutMs));
    }
    // a fresh DeliveryOptions per request: the event bus adds tracing headers to the options' own headers
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeoutMs)
      .addHeader(TIMEOUT_HEADER, timeoutMs == defaultTimeoutMs ? defaultTimeoutText : Long.toString(timeoutMs));
    return eventBus.request(Addresses.of(type), requested, delivery).transform(ar -> {
      if (ar.succeeded()) {
        return answerOf(requested, ar.result().body(), successOnly);
      }
      Throwable failure = ar.cause();
      return failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
        ? explainNoHandlers(requested).compose(Future::failedFuture)
        : Future.failedFuture(explain(requested, timeoutMs, failure));
    });
  }

  /** @return the event an answer's body holds, whatever form it travelled in */
  public static Event toEvent(Object body) {
    if (body instanceof Event e) {
      return e;
    }
    if (body instanceof JsonObject json) {
      return Event.fromJson(json);
    }
    if (body instanceof String text) {
      return Event.fromJson(text);
    }
    if (body instanceof Buffer buffer) {
      return Event.fromJson(buffer);
    }
    throw new IllegalArgumentException("an event must be a JSON object, not " + (body == null ? "nothing"
      : body.getClass().getSimpleName()));
  }

  /** The answer of a host, which a consumer that is not a Nexus host may have garbled. */
  private static Future<Event> answerOf(Event requested, Object body, boolean successOnly) {
    Event answer;
    try {
      answer = toEvent(body);
    } catch (RuntimeException e) {
      return Future.failedFuture(OutcomeException.of(Code.INTERNAL, "the answer to " + requested.type()
        + " is no event: " + e.getMessage()));
    }
    if (successOnly && !answer.type().hasState(EventState.SUCCESS)) {
      return Future.failedFuture(new OutcomeException(Outcomes.outcomeOf(answer)));
    }
    return Future.succeededFuture(answer);
  }

  private Future<Throwable> explainNoHandlers(Event requested) {
    String service = requested.type().service();
    Event probe = Event.builder(EventType.of(service, "health", 1, EventState.REQUESTED))
      .correlationId(requested.correlationId()).source(options.getSource()).build();
    return eventBus.request(Addresses.of(probe.type()), probe,
        new DeliveryOptions().setSendTimeout(HEALTH_PROBE_TIMEOUT_MS))
      .map(ok -> (Throwable) OutcomeException.of(Code.UNIMPLEMENTED, "service '" + service + "' has no action '"
        + requested.type().action() + "' (v" + requested.type().version() + ")"))
      .otherwise(err -> OutcomeException.of(Code.NOT_FOUND, "no service '" + service + "' is serving on the Nexus"));
  }

  private Throwable explain(Event requested, long timeoutMs, Throwable failure) {
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return OutcomeException.of(Code.DEADLINE_EXCEEDED, "no outcome for " + requested.type() + " within "
          + timeoutMs + " ms");
      }
      return OutcomeException.of(Code.ofGrpcStatus(re.failureCode()), String.valueOf(re.getMessage()));
    }
    return failure instanceof OutcomeException ? failure : new OutcomeException(Outcome.of(failure));
  }

  /** Hosts a service. */
  @Override
  public Future<ServiceBinding> serve(ServiceDefinition service) {
    ServiceHost host;
    try {
      Pipeline own = Objects.requireNonNull(service.pipeline().apply(pipeline),
        "the pipeline change of service '" + service.name() + "' returned no pipeline");
      host = new ServiceHost(this, service, own);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return host.start().map(v -> host);
  }

  /** The emission hook: publishes the outcome event. */
  private Future<Void> emit(OutcomeContext ctx) {
    publish(ServiceHost.outcomeEvent(ctx, options.getSource()));
    return Future.succeededFuture();
  }

  /** The ledger hook: records the outcome event. */
  private Future<Void> ledger(OutcomeContext ctx) {
    options.getJournal().record(ServiceHost.outcomeEvent(ctx, options.getSource()));
    return Future.succeededFuture();
  }

  /** Records a lifecycle event outside the pipeline; a failing journal must not stop the request. */
  void record(Event event) {
    try {
      options.getJournal().record(event);
    } catch (RuntimeException e) {
      LOG.warn("the event journal failed to record {}: {}", event, e.toString());
    }
  }
}
