package io.inos.nexus.redis.impl;

import io.inos.nexus.Event;
import io.inos.nexus.EventType;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.EventRelay;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** {@link EventRelay} over Redis pub/sub; see that interface for the guarantees. */
public final class RedisEventRelay implements EventRelay {

  private static final Logger LOG = LoggerFactory.getLogger(RedisEventRelay.class);
  /** Where this cluster's id travels in the relayed envelope. */
  public static final String ORIGIN_FIELD = "relay_origin";
  private static final int BATCH = 256;
  /** The most outgoing events waiting for Redis; pub/sub is at most once, so a slow Redis drops, not buffers. */
  private static final int OUT_LIMIT = 10_000;

  private final Nexus nexus;
  private final RedisLink link;
  private final Keys keys;
  private final RedisExtensionOptions options;
  private final List<Glob> types = new ArrayList<>();
  private final SeenWindow seen;
  private final ConcurrentLinkedQueue<Event> out = new ConcurrentLinkedQueue<>();
  private final AtomicInteger outSize = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong relayedOut = new AtomicLong();
  private final AtomicLong takenIn = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong droppedDown = new AtomicLong();
  private final Counter outCounter;
  private final Counter inCounter;
  private RedisConnection subscriber;
  private boolean closed;

  public RedisEventRelay(Nexus nexus, RedisLink link, Keys keys, RedisExtensionOptions options,
                         MeterRegistry registry) {
    this.nexus = nexus;
    this.link = link;
    this.keys = keys;
    this.options = options;
    options.getRelayTypes().forEach(t -> types.add(new Glob(t)));
    this.seen = new SeenWindow(link.vertx(), options.getDedupWindowMs());
    if (registry != null) {
      outCounter = Counter.builder("inos.redis.relay.events").tag("direction", "out").register(registry);
      inCounter = Counter.builder("inos.redis.relay.events").tag("direction", "in").register(registry);
    } else {
      outCounter = null;
      inCounter = null;
    }
    link.onStateChange(s -> {
      if (s.isUp()) {
        subscribe();
        wake();
      } else {
        dropSubscriber();
      }
    });
  }

  private boolean takesIn() {
    return options.isRelayBetweenClusters() || options.isRelayFromOriginal();
  }

  /** Subscribes when the link is up (it tells us when it comes back). */
  public Future<Void> start() {
    return link.isUp() ? subscribe() : Future.succeededFuture();
  }

  public Future<Void> close() {
    return Future.<Void>future(p -> link.context().runOnContext(v -> {
      closed = true;
      seen.close();
      RedisConnection s = subscriber;
      subscriber = null;
      (s == null ? Future.<Void>succeededFuture() : s.close()).onComplete(ar -> p.complete());
    }));
  }

  /** @return whether {@code event}, published on this node, goes out */
  public boolean selects(Event event) {
    if (types.isEmpty()) {
      return false;
    }
    String type = event.type().toString();
    for (int i = 0, n = types.size(); i < n; i++) {
      if (types.get(i).matches(type)) {
        return true;
      }
    }
    return false;
  }

  /** On the publisher's thread: queues {@code event} to go out unless it came in from Redis. */
  public void offerOut(Event event) {
    if (!seen.add(event.id())) {
      return; // taken in from Redis (or already sent): never sent back
    }
    if (!link.isUp() || outSize.incrementAndGet() > OUT_LIMIT) {
      if (link.isUp()) {
        outSize.decrementAndGet();
      }
      droppedDown.incrementAndGet();
      return;
    }
    out.add(event);
    wake();
  }

  private void wake() {
    if (scheduled.compareAndSet(false, true)) {
      link.context().runOnContext(v -> flush());
    }
  }

  private void flush() {
    if (out.isEmpty()) {
      scheduled.set(false);
      if (!out.isEmpty()) {
        wake();
      }
      return;
    }
    List<Request> requests = new ArrayList<>();
    int events = 0;
    for (Iterator<Event> it = out.iterator(); it.hasNext() && events < BATCH; events++) {
      Event e = it.next();
      Buffer body = envelope(e);
      if (options.isRelayBetweenClusters()) {
        requests.add(Request.cmd(Command.PUBLISH).arg(keys.relayChannel()).arg(body));
      }
      if (options.isRelayToOriginal()) {
        requests.add(Request.cmd(Command.PUBLISH).arg(options.getOriginalChannel()).arg(body));
        EventType t = e.type();
        if (t.kind() == EventType.Kind.CANONICAL || t.kind() == EventType.Kind.HEALTH) {
          requests.add(Request.cmd(Command.PUBLISH)
            .arg(options.getOriginalChannel() + ":" + t.service() + ":" + t.action()).arg(body));
        }
      }
    }
    int sent = events;
    Future<?> done = requests.isEmpty() ? Future.succeededFuture() : link.batch(requests);
    done.onComplete(ar -> {
      for (int i = 0; i < sent; i++) {
        out.poll();
        outSize.decrementAndGet();
      }
      if (ar.succeeded()) {
        relayedOut.addAndGet(sent);
        if (outCounter != null) {
          outCounter.increment(sent);
        }
      } else {
        droppedDown.addAndGet(sent); // at most once: not resent
      }
      scheduled.set(false);
      if (!out.isEmpty()) {
        wake();
      }
    });
  }

  /** The original INOS envelope, marked with this cluster as its origin. */
  private Buffer envelope(Event event) {
    JsonObject json = event.toJson();
    json.getJsonObject("metadata").put(ORIGIN_FIELD, options.getClusterId());
    return json.toBuffer();
  }

  /** On the link's context: a connection of its own in subscribed mode, made again whenever Redis comes back. */
  private Future<Void> subscribe() {
    if (closed || !takesIn() || subscriber != null) {
      return Future.succeededFuture();
    }
    return link.connect().compose(conn -> {
      if (closed || subscriber != null) {
        return conn.close();
      }
      subscriber = conn;
      conn.handler(this::onPush);
      conn.exceptionHandler(err -> {
        LOG.debug("relay subscription failed: {}", err.toString());
        link.failed(err);
      });
      conn.endHandler(v -> link.context().runOnContext(x -> {
        if (subscriber == conn) {
          subscriber = null;
          if (!closed) {
            link.failed(new IllegalStateException("the relay subscription connection closed"));
          }
        }
      }));
      List<Future<?>> subscriptions = new ArrayList<>();
      if (options.isRelayBetweenClusters()) {
        subscriptions.add(conn.send(Request.cmd(Command.SUBSCRIBE).arg(keys.relayChannel())));
      }
      if (options.isRelayFromOriginal()) {
        subscriptions.add(conn.send(Request.cmd(Command.SUBSCRIBE).arg(options.getOriginalChannel())));
        subscriptions.add(conn.send(Request.cmd(Command.PSUBSCRIBE).arg(options.getOriginalChannel() + ":*")));
      }
      return Future.all(subscriptions).<Void>mapEmpty();
    }).onFailure(err -> LOG.debug("relay could not subscribe: {}", err.toString()));
  }

  private void dropSubscriber() {
    RedisConnection s = subscriber;
    subscriber = null;
    if (s != null) {
      s.close();
    }
  }

  private void onPush(Response r) {
    if (r == null || (r.type() != ResponseType.PUSH && r.type() != ResponseType.MULTI) || r.size() < 3) {
      return;
    }
    String kind = r.get(0).toString();
    if ("message".equals(kind)) {
      takeIn(r.get(2).toBuffer());
    } else if ("pmessage".equals(kind) && r.size() >= 4) {
      takeIn(r.get(3).toBuffer());
    }
  }

  private void takeIn(Buffer data) {
    JsonObject json;
    Event event;
    try {
      json = new JsonObject(data);
      Object md = json.getValue("metadata");
      if (md instanceof JsonObject metadata && options.getClusterId().equals(metadata.getValue(ORIGIN_FIELD))) {
        duplicates.incrementAndGet(); // our own event, back from Redis
        return;
      }
      String key = json.getValue("id") instanceof String id && !id.isEmpty() ? id : "sha:" + sha256(data);
      if (!seen.add(key)) {
        duplicates.incrementAndGet(); // the same event on another channel, or again
        return;
      }
      event = Event.fromJson(json);
      seen.add(event.id());
      claimAndPublish(key, event);
    } catch (RuntimeException e) {
      invalid.incrementAndGet();
      LOG.debug("relay dropped a message that is no event envelope: {}", e.toString());
    }
  }

  /** One node per cluster publishes it: the one whose {@code SET NX} wins. */
  private void claimAndPublish(String key, Event event) {
    link.send(Request.cmd(Command.SET).arg(keys.relayClaim(options.getClusterId(), key)).arg("1").arg("NX")
        .arg("PX").arg(options.getDedupWindowMs()))
      .onSuccess(answer -> {
        if (answer != null && "OK".equals(answer.toString())) {
          takenIn.incrementAndGet();
          if (inCounter != null) {
            inCounter.increment();
          }
          nexus.publish(event);
        } else {
          duplicates.incrementAndGet();
        }
      })
      .onFailure(err -> LOG.debug("relay could not claim {}: {}", key, err.toString()));
  }

  private static String sha256(Buffer data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data.getBytes()), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public long relayedOut() {
    return relayedOut.get();
  }

  @Override
  public long takenIn() {
    return takenIn.get();
  }

  @Override
  public long duplicatesDropped() {
    return duplicates.get();
  }

  @Override
  public long invalidDropped() {
    return invalid.get();
  }

  @Override
  public long droppedWhileDown() {
    return droppedDown.get();
  }
}
