package io.inos.adapters.amqp.impl;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import io.inos.adapters.amqp.AmqpAdapterOptions;
import io.inos.adapters.amqp.AmqpAdapterStats;
import io.inos.adapters.amqp.AmqpBinding;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AMQP adapter's engine. Everything it decides runs on one Vert.x context (the verticle's); every call on the
 * broker's connection and channels runs, in order, on one worker thread of its own ({@link #io}), because the
 * RabbitMQ client blocks (connecting, declaring, and writing when the broker applies flow control) and its channels
 * must not be used by two threads at once. The client's own threads (deliveries, confirms, shutdown notices) only
 * hand over to the context.
 *
 * <p>See the package documentation for the mapping and the delivery guarantees.
 */
public final class AmqpAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(AmqpAdapter.class);
  /** Messages published per hop to the I/O thread. */
  private static final int BATCH = 256;
  private static final int MAX_DETAIL = 1_000;
  private static final long DROP_WARNING_INTERVAL_MS = 10_000;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  public static final String REASON_HEADER = "x-inos-reason";
  public static final String REASON_DETAIL_HEADER = "x-inos-reason-detail";
  public static final String QUEUE_HEADER = "x-inos-queue";
  public static final String ORIGINAL_EXCHANGE_HEADER = "x-inos-original-exchange";
  public static final String ORIGINAL_ROUTING_KEY_HEADER = "x-inos-original-routing-key";

  private final Vertx vertx;
  private final Context context;
  private final Nexus nexus;
  private final AmqpAdapterOptions options;
  private final List<InboundRoute> inbound = new ArrayList<>();
  private final List<OutboundRoute> outbound = new ArrayList<>();
  private final ConnectionFactory factory;
  private final WorkerExecutor io;
  private final AmqpMeters meters;
  /** Messages waiting for a connection (or for the I/O thread), oldest first. */
  private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
  private final List<MessageConsumer<Object>> busConsumers = new ArrayList<>();
  /** Events held for the broker: waiting or unconfirmed (dead-letter copies are not counted: prefetch bounds them). */
  private volatile int held;
  private volatile BrokerLink link;
  /** Why the adapter is not connected: the last connection failure or loss (read by readiness checks). */
  private volatile String problem = "connecting";
  private boolean publishing;
  private boolean stopping;
  private boolean everConnected;
  private long backoffMs;
  private long reconnectTimer = -1;
  private long lastDropWarning;
  private Promise<Void> drained;
  /** Set (on the context) when {@link #io} is closed: notices that arrive after that find nothing to do. */
  private boolean ioClosed;

  /**
   * Must be created on the context it is to run on (a verticle's {@code start()}).
   *
   * @throws IllegalArgumentException when the options are inconsistent (naming the key)
   */
  public AmqpAdapter(Vertx vertx, Nexus nexus, AmqpAdapterOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.nexus = nexus;
    this.options = new AmqpAdapterOptions(options);
    this.options.validate();
    for (AmqpBinding b : this.options.getBindings()) {
      if (b.getDirection() == AmqpBinding.Direction.IN) {
        inbound.add(InboundRoute.of(b, this.options));
      } else {
        outbound.add(OutboundRoute.of(b));
      }
    }
    this.factory = connectionFactory(this.options);
    this.backoffMs = this.options.getReconnectInitialDelayMs();
    this.meters = new AmqpMeters(this.options.getMeterRegistry(), this.options.getConnectionName(), () -> held,
      () -> link != null ? 1 : 0);
    this.io = vertx.createSharedWorkerExecutor("inos-amqp-" + INSTANCES.incrementAndGet(), 1, 2, TimeUnit.MINUTES);
  }

  private static ConnectionFactory connectionFactory(AmqpAdapterOptions options) {
    ConnectionFactory f = new ConnectionFactory();
    try {
      f.setUri(options.getUri());
      if (f.isSSL()) {
        // setUri trusts every certificate for amqps://; check the broker's against the JVM's trust store instead
        f.useSslProtocol(SSLContext.getDefault());
        f.enableHostnameVerification();
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("uri is not a usable AMQP URI ('"
        + AmqpAdapterOptions.redacted(options.getUri()) + "'): " + e.getMessage(), e);
    }
    // the adapter reconnects itself, with its own backoff, and re-declares what it needs; the client's recovery
    // would replay the old channel's state behind its back (delivery tags, confirms) instead
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    f.setRequestedHeartbeat(options.getHeartbeatSeconds());
    f.setConnectionTimeout(options.getConnectTimeoutMs());
    f.setHandshakeTimeout(options.getConnectTimeoutMs());
    return f;
  }

  public AmqpAdapterStats stats() {
    return meters.snapshot();
  }

  /** @return whether a connection to the broker is up now */
  public boolean isConnected() {
    return link != null;
  }

  /** @return why no connection is up (the last failed attempt or loss), or {@code null} while one is */
  public String problem() {
    return link != null ? null : problem;
  }

  // ---------------------------------------------------------------------------------------------- lifecycle

  /**
   * Connects, declares (or checks) the exchanges and queues, starts consuming and forwarding. A broker that answers
   * and refuses (credentials, virtual host, topology) fails the start: retrying would get the same answer. A broker
   * that cannot be reached fails it only with {@code requireBrokerAtStart}; otherwise the adapter starts
   * disconnected, holds outbound events in its buffer and keeps trying with its backoff, as after a loss.
   */
  public Future<Void> start() {
    return onIo(this::openLink)
      .transform(ar -> {
        if (ar.succeeded()) {
          install(ar.result());
          return Future.succeededFuture();
        }
        meters.connectFailures.incrementAndGet();
        Throwable err = ar.cause();
        if (options.isRequireBrokerAtStart() || BrokerRefusal.isRefusal(err)) {
          meters.close();
          ioClosed = true;
          return io.close().transform(x -> Future.failedFuture(new IllegalStateException(
            "could not connect to the AMQP broker at " + AmqpAdapterOptions.redacted(options.getUri())
              + " (option 'uri', INOS_AMQP_URL): " + describe(err), err)));
        }
        problem = describe(err);
        LOG.warn("AMQP adapter cannot reach the broker at {} ({}); it starts disconnected and keeps trying",
          AmqpAdapterOptions.redacted(options.getUri()), problem);
        scheduleReconnect();
        return Future.succeededFuture();
      })
      .compose(v -> {
        List<Future<Void>> registered = new ArrayList<>();
        for (OutboundRoute route : outbound) {
          // node-local: in a cluster every node's adapter forwards the events published on its own node, so an event
          // reaches the broker once, not once per node (see the package documentation)
          MessageConsumer<Object> c = vertx.eventBus().localConsumer(route.address(),
            msg -> forward(route, msg.body()));
          busConsumers.add(c);
          registered.add(c.completion());
        }
        return Future.all(registered).mapEmpty();
      });
  }

  /**
   * Stops taking events, stops consuming, waits (up to stopDrainTimeoutMs) for the held events to be confirmed, then
   * closes the connection. Broker messages not yet acknowledged go back to their queue (the broker requeues them).
   */
  public Future<Void> stop() {
    stopping = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    List<Future<Void>> unregistered = new ArrayList<>();
    busConsumers.forEach(c -> unregistered.add(c.unregister()));
    return Future.join(unregistered)
      .transform(x -> drain())
      .transform(x -> {
        BrokerLink l = link;
        link = null;
        return l == null ? Future.<Void>succeededFuture() : onIo(() -> {
          closeQuietly(l.connection);
          return null;
        });
      })
      .transform(x -> {
        if (held > 0) {
          LOG.warn("AMQP adapter stopped with {} events not confirmed by the broker: they are lost", held);
        }
        meters.close();
        ioClosed = true;
        return io.close();
      });
  }

  private Future<Void> drain() {
    if (held == 0 || link == null || options.getStopDrainTimeoutMs() == 0) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    long timer = vertx.setTimer(options.getStopDrainTimeoutMs(), t -> drained.tryComplete());
    return drained.future().onComplete(x -> vertx.cancelTimer(timer));
  }

  private void maybeDrained() {
    if (drained != null && held == 0) {
      drained.tryComplete();
    }
  }

  // ---------------------------------------------------------------------------------------------- connection

  /** Opens a connection and everything on it; runs on the I/O thread. */
  private BrokerLink openLink() throws Exception {
    Connection connection = factory.newConnection(options.getConnectionName());
    try {
      Channel publisher = connection.createChannel();
      publisher.confirmSelect();
      BrokerLink l = new BrokerLink(connection, publisher);
      publisher.addConfirmListener(
        (seq, multiple) -> context.runOnContext(v -> confirmed(l, seq, multiple, true)),
        (seq, multiple) -> context.runOnContext(v -> confirmed(l, seq, multiple, false)));
      declareTopology(publisher);
      List<Channel> consuming = new ArrayList<>();
      for (InboundRoute route : inbound) {
        Channel channel = connection.createChannel();
        declareQueue(channel, route);
        channel.basicQos(route.prefetch());
        consuming.add(channel);
      }
      // any unexpected end — of the connection or of one channel (a channel error closes only the channel) — ends
      // the link: a new one re-declares and resumes everything
      connection.addShutdownListener(cause -> lostUnlessOurs(l, cause));
      publisher.addShutdownListener(cause -> lostUnlessOurs(l, cause));
      for (int i = 0; i < inbound.size(); i++) {
        InboundRoute route = inbound.get(i);
        Channel channel = consuming.get(i);
        channel.addShutdownListener(cause -> lostUnlessOurs(l, cause));
        channel.basicConsume(route.queue(), false,
          (tag, delivery) -> context.runOnContext(v -> received(l, route, channel, delivery)),
          tag -> context.runOnContext(v -> lost(l, "the broker cancelled the consumer of queue '" + route.queue()
            + "' (deleted?)")));
      }
      return l;
    } catch (Exception | Error e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private void declareTopology(Channel channel) throws Exception {
    Set<String> deadLetterExchanges = new LinkedHashSet<>();
    inbound.forEach(r -> {
      if (r.deadLetterExchange() != null) {
        deadLetterExchanges.add(r.deadLetterExchange());
      }
    });
    for (String dlx : deadLetterExchanges) {
      channel.exchangeDeclare(dlx, options.getDeadLetterExchangeType(), true);
    }
    for (OutboundRoute route : outbound) {
      declareExchange(channel, route.exchange(), route.exchangeType(), route.declare(), route.durable());
    }
  }

  private static void declareExchange(Channel channel, String exchange, String type, boolean declare,
                                      boolean durable) throws Exception {
    if (exchange.isEmpty()) {
      return; // the default exchange always exists
    }
    if (declare) {
      channel.exchangeDeclare(exchange, type, durable);
    } else {
      channel.exchangeDeclarePassive(exchange);
    }
  }

  private static void declareQueue(Channel channel, InboundRoute route) throws Exception {
    declareExchange(channel, route.exchange(), route.exchangeType(), route.declare(), route.durable());
    if (!route.declare()) {
      channel.queueDeclarePassive(route.queue());
      return;
    }
    channel.queueDeclare(route.queue(), route.durable(), false, false, null);
    if (!route.exchange().isEmpty()) {
      channel.queueBind(route.queue(), route.exchange(), route.bindingKey());
    }
  }

  private void lostUnlessOurs(BrokerLink l, ShutdownSignalException cause) {
    if (!cause.isInitiatedByApplication()) {
      context.runOnContext(v -> lost(l, describe(cause)));
    }
  }

  private void install(BrokerLink l) {
    link = l;
    problem = null;
    backoffMs = options.getReconnectInitialDelayMs();
    if (everConnected) {
      meters.reconnects.incrementAndGet();
      LOG.info("AMQP adapter reconnected to {}", AmqpAdapterOptions.redacted(options.getUri()));
    } else {
      LOG.info("AMQP adapter connected to {}: {} inbound, {} outbound bindings",
        AmqpAdapterOptions.redacted(options.getUri()), inbound.size(), outbound.size());
    }
    everConnected = true;
    publishSome();
  }

  /** The link is gone: unconfirmed events go back to the front of the buffer, and a new link is sought. */
  private void lost(BrokerLink l, String why) {
    if (l.lossHandled) {
      return;
    }
    l.lossHandled = true;
    l.lost = true;
    if (link == l) {
      link = null;
    }
    if (!stopping) {
      problem = "lost the broker: " + why;
      LOG.warn("AMQP adapter lost the broker ({}); reconnecting", why);
    }
    // queued behind any publish batch still on the I/O thread, so every message that batch published is in
    // unconfirmed by then
    onIo(() -> {
      closeQuietly(l.connection);
      List<Outgoing> pending = new ArrayList<>(l.unconfirmed.values());
      l.unconfirmed.clear();
      return pending;
    }).onComplete(ar -> {
      List<Outgoing> retry = new ArrayList<>();
      for (Outgoing o : ar.succeeded() ? ar.result() : List.<Outgoing>of()) {
        if (o.isEvent()) {
          retry.add(o);
        }
      }
      meters.retried.addAndGet(retry.size());
      toFront(retry);
      if (!stopping) {
        scheduleReconnect();
      }
      maybeDrained();
    });
  }

  private void scheduleReconnect() {
    if (reconnectTimer >= 0 || link != null) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, options.getReconnectMaxDelayMs());
    reconnectTimer = vertx.setTimer(delay, t -> {
      reconnectTimer = -1;
      reconnect();
    });
  }

  private void reconnect() {
    if (stopping || link != null) {
      return;
    }
    onIo(this::openLink).onComplete(ar -> {
      if (ar.failed()) {
        meters.connectFailures.incrementAndGet();
        problem = describe(ar.cause());
        LOG.warn("AMQP adapter could not reconnect to {} ({}); next attempt in {} ms",
          AmqpAdapterOptions.redacted(options.getUri()), describe(ar.cause()), backoffMs);
        if (!stopping) {
          scheduleReconnect();
        }
        return;
      }
      BrokerLink l = ar.result();
      if (stopping) {
        onIo(() -> {
          closeQuietly(l.connection);
          return null;
        });
      } else if (!l.lost) {
        // a link lost before it was installed was handled by lost(), which schedules the next attempt
        install(l);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------- inbound

  /** A broker message, on the context: publish it on the Nexus, then acknowledge it. */
  private void received(BrokerLink l, InboundRoute route, Channel channel, Delivery delivery) {
    meters.messagesIn.incrementAndGet();
    if (l.lost) {
      return; // its channel is gone: the broker redelivers it on the next link
    }
    long tag = delivery.getEnvelope().getDeliveryTag();
    Event event;
    try {
      event = MessageDecoder.decode(route, delivery.getEnvelope(), delivery.getProperties(), delivery.getBody());
    } catch (PoisonMessage poison) {
      deadLetter(l, route, channel, delivery, poison);
      return;
    } catch (RuntimeException e) {
      deadLetter(l, route, channel, delivery, new PoisonMessage(PoisonMessage.BAD_ENVELOPE, String.valueOf(e)));
      return;
    }
    try {
      if (route.address() == null) {
        nexus.publish(event);
      } else {
        vertx.eventBus().publish(route.address(), event);
      }
    } catch (RuntimeException e) {
      deadLetter(l, route, channel, delivery, new PoisonMessage(PoisonMessage.REFUSED,
        "the Nexus refused " + event + ": " + e));
      return;
    }
    meters.published.incrementAndGet();
    // the Nexus has it (published locally): only now may the broker forget it
    onIo(() -> {
      channel.basicAck(tag, false);
      return null;
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        meters.acks.incrementAndGet();
      } else {
        LOG.debug("could not acknowledge a message of queue {} (the broker will redeliver it): {}",
          route.queue(), ar.cause().toString());
      }
    });
  }

  /**
   * A poison message: republish it to the dead-letter exchange with the reason, and acknowledge the original once
   * the broker confirmed the copy; without a dead-letter exchange, reject it without requeueing.
   */
  private void deadLetter(BrokerLink l, InboundRoute route, Channel channel, Delivery delivery, PoisonMessage poison) {
    long tag = delivery.getEnvelope().getDeliveryTag();
    String detail = poison.getMessage() == null ? poison.reason() : poison.getMessage();
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL) + "…";
    }
    LOG.warn("poison message on queue {} ({}): {}", route.queue(), poison.reason(), detail);
    if (route.deadLetterExchange() == null) {
      onIo(() -> {
        channel.basicReject(tag, false);
        return null;
      }).onSuccess(x -> meters.deadLettered(poison.reason()));
      return;
    }
    AMQP.BasicProperties original = delivery.getProperties();
    Map<String, Object> headers = original.getHeaders() == null ? new HashMap<>() : new HashMap<>(original.getHeaders());
    headers.put(REASON_HEADER, poison.reason());
    headers.put(REASON_DETAIL_HEADER, detail);
    headers.put(QUEUE_HEADER, route.queue());
    headers.put(ORIGINAL_EXCHANGE_HEADER, delivery.getEnvelope().getExchange());
    headers.put(ORIGINAL_ROUTING_KEY_HEADER, delivery.getEnvelope().getRoutingKey());
    AMQP.BasicProperties props = original.builder().headers(headers).build();
    waiting.addFirst(new Outgoing(route.deadLetterExchange(), route.queue(), props, delivery.getBody(), l, ok -> {
      onIo(() -> {
        if (ok) {
          channel.basicAck(tag, false);
        } else {
          // the broker could not take the copy: keep the original, and try again when it comes back
          channel.basicNack(tag, false, true);
        }
        return null;
      }).onSuccess(x -> {
        if (ok) {
          meters.deadLettered(poison.reason());
          meters.acks.incrementAndGet();
        }
      });
    }));
    publishSome();
  }

  // ---------------------------------------------------------------------------------------------- outbound

  /** An event on an {@code out} binding's address, on the context. */
  private void forward(OutboundRoute route, Object body) {
    Event event;
    try {
      event = toEvent(body);
    } catch (RuntimeException e) {
      meters.outboundDropped.incrementAndGet();
      LOG.warn("AMQP binding {}: dropped a message on {} that is no event: {}", route.name(), route.address(),
        e.getMessage());
      return;
    }
    JsonObject envelope = event.toJson();
    String routingKey = route.routingKey() != null ? route.routingKey() : event.type().toString();
    if (route.returnsToOrigin(envelope, routingKey)) {
      meters.outboundLooped.incrementAndGet();
      LOG.debug("AMQP binding {}: {} came from exchange '{}' with routing key '{}'; not sent back", route.name(),
        event, route.exchange(), routingKey);
      return;
    }
    if (held >= options.getOutboundBufferSize()) {
      meters.outboundDropped.incrementAndGet();
      long now = System.currentTimeMillis();
      if (now - lastDropWarning > DROP_WARNING_INTERVAL_MS) {
        lastDropWarning = now;
        LOG.warn("AMQP outbound buffer full ({} events, option 'outboundBufferSize'): dropping events; {} dropped "
          + "so far", held, meters.outboundDropped.get());
      }
      return;
    }
    held++;
    waiting.addLast(new Outgoing(route.exchange(), routingKey, MessageEncoder.properties(event),
      MessageEncoder.body(envelope), null, null));
    publishSome();
  }

  private static Event toEvent(Object body) {
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
    throw new IllegalArgumentException("an event must be a JSON object, not "
      + (body == null ? "nothing" : body.getClass().getSimpleName()));
  }

  /** Hands the next batch of waiting messages to the I/O thread, one batch at a time. */
  private void publishSome() {
    BrokerLink l = link;
    if (publishing || l == null || waiting.isEmpty()) {
      return;
    }
    List<Outgoing> batch = new ArrayList<>(Math.min(BATCH, waiting.size()));
    while (batch.size() < BATCH && !waiting.isEmpty()) {
      Outgoing o = waiting.pollFirst();
      if (o.boundTo == null || o.boundTo == l) {
        batch.add(o);
      } // else: a dead-letter copy whose original's channel is gone; the broker redelivers the original
    }
    if (batch.isEmpty()) {
      return;
    }
    publishing = true;
    onIo(() -> publish(l, batch)).onComplete(ar -> {
      publishing = false;
      List<Outgoing> unsent = ar.succeeded() ? ar.result() : batch;
      toFront(unsent);
      if (unsent.isEmpty()) {
        publishSome();
      } // else the link is failing: its loss is being noticed, and the next link publishes them
    });
  }

  /** On the I/O thread: publishes in order; returns what could not be published. */
  private static List<Outgoing> publish(BrokerLink l, List<Outgoing> batch) {
    for (int i = 0; i < batch.size(); i++) {
      Outgoing o = batch.get(i);
      if (l.lost || !l.publisher.isOpen()) {
        return new ArrayList<>(batch.subList(i, batch.size()));
      }
      long seq = l.publisher.getNextPublishSeqNo();
      // recorded before it is sent, so its confirm always finds it
      l.unconfirmed.put(seq, o);
      try {
        l.publisher.basicPublish(o.exchange, o.routingKey, false, o.properties, o.body);
      } catch (Exception e) {
        l.unconfirmed.remove(seq);
        LOG.debug("publish failed, will retry on the next connection: {}", e.toString());
        return new ArrayList<>(batch.subList(i, batch.size()));
      }
    }
    return List.of();
  }

  /** The broker's answer to publishes, on the context. */
  private void confirmed(BrokerLink l, long seq, boolean multiple, boolean ack) {
    List<Outgoing> done;
    if (multiple) {
      NavigableMap<Long, Outgoing> upTo = l.unconfirmed.headMap(seq, true);
      done = new ArrayList<>(upTo.values());
      upTo.clear();
    } else {
      Outgoing o = l.unconfirmed.remove(seq);
      done = o == null ? List.of() : List.of(o);
    }
    List<Outgoing> retry = new ArrayList<>();
    for (Outgoing o : done) {
      if (ack) {
        if (o.isEvent()) {
          held--;
          meters.messagesOut.incrementAndGet();
        } else {
          o.onConfirm.handle(true);
        }
      } else {
        meters.nacks.incrementAndGet();
        if (o.isEvent()) {
          retry.add(o);
        } else {
          o.onConfirm.handle(false);
        }
      }
    }
    if (!retry.isEmpty()) {
      LOG.warn("the broker refused {} published events (nack); retrying them", retry.size());
      meters.retried.addAndGet(retry.size());
      toFront(retry);
    }
    publishSome();
    maybeDrained();
  }

  private void toFront(List<Outgoing> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      waiting.addFirst(messages.get(i));
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** Runs {@code task} on the I/O thread, after the tasks handed over before it. */
  private <T> Future<T> onIo(java.util.concurrent.Callable<T> task) {
    if (ioClosed) {
      return Future.failedFuture(new IllegalStateException("the AMQP adapter is stopped"));
    }
    return io.executeBlocking(task, true);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.abort(2_000);
    } catch (RuntimeException e) {
      LOG.debug("closing an AMQP connection: {}", e.toString());
    }
  }

  /** @return the broker's own words when it gave any (e.g. NOT_FOUND - no queue 'x'), else the error */
  static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close) {
        return close.getReplyText();
      }
      if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Connection.Close close) {
        return close.getReplyText();
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? String.valueOf(error) : error + " (" + root + ")";
  }
}
