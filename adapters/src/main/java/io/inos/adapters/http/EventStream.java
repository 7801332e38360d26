package io.inos.adapters.http;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.nexus.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Server-Sent Events: {@code GET /api/events/stream?address=a&address=b} (or {@code ?addresses=a,b}, or both) streams
 * what is published at those addresses, each stream one {@link BridgeSession} of the shared {@link Bridge}: its
 * identity ({@code Authorization: Bearer <jwt>}, or {@code ?access_token=<jwt>} for EventSource, a guest without
 * either), the outbound rules and scoping on every address, its bounded outbound queue and slow-consumer policy.
 *
 * <p>Every address is subscribed before the stream starts, so a refusal is a plain HTTP answer with the usual error
 * body: 400 (no address), 401 (bad or expired token), 403 (naming the address and why), 429 (too many addresses).
 * Then the answer is {@code 200 text/event-stream}:
 * <pre>
 * retry: 3000
 *
 * event: open
 * data: {"user_id":"alice","guest":false,"addresses":["user:alice","feed:news"]}
 *
 * id: 6b1f…            (the event's id, when the message is an event)
 * event: user:alice    (the address it arrived at)
 * data: {…the event envelope, one line…}
 *
 * : keep-alive         (every keepAliveMs)
 *
 * event: dropped       (DROP_OLDEST: deliveries were dropped while the client read too slowly)
 * data: {"count":12,"message":"…"}
 *
 * event: subscription_revoked
 * data: {"address":"campaign:c2","message":"…"}
 *
 * event: closed        (the bridge ended the session: slow_consumer, session_closed; the response then ends)
 * data: {"code":"slow_consumer","message":"…"}
 *
 * event: recovery      (a reconnection with a position: once per address, before its missed events)
 * data: {"address":"campaign:c1","recovered":true,"count":3,"message":"…"}
 * </pre>
 * A delivery's frame is built once per message and address ({@link #SSE_FRAME}) and shared by every stream there.
 *
 * <p><b>Recovery.</b> A client that reconnects with {@code Last-Event-ID} (EventSource sends it by itself: the
 * {@code id:} of the last event it received) or {@code ?since=<event id>} gets, for each address, a
 * {@code recovery} event, then the events it missed there in order and without duplicates, then the live flow
 * ({@link BridgeSession#subscribe(String, String)}). {@code "recovered": false} (and no missed events) says the
 * history no longer reaches back that far, the address keeps none, or the server has no Redis extension: the client
 * must read its state again. The position is one event id for the whole stream: it is exact for a stream of one
 * address; on a stream of several, only the address whose history holds that event recovers and the others answer
 * {@code recovered: false}, so open one stream per address that must recover.
 */
public final class EventStream {

  /** The SSE frame of a delivery, UTF-8 bytes built once per message and address for every stream. */
  public static final Delivery.Form<Buffer> SSE_FRAME = Delivery.Form.of("sse", EventStream::frameOf);

  private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

  private final Bridge bridge;
  private final EventStreamOptions options;

  private EventStream(Bridge bridge, EventStreamOptions options) {
    this.bridge = bridge;
    this.options = new EventStreamOptions(options);
  }

  public static EventStream create(Bridge bridge, EventStreamOptions options) {
    return new EventStream(bridge, options);
  }

  /** Adds {@code GET {path}} to {@code router}. Mount it before a route that would take the path's prefix. */
  public void mount(Router router) {
    router.get(options.getPath()).handler(this::open);
  }

  private void open(RoutingContext ctx) {
    String correlationId = RestResponses.requestCorrelationId(ctx);
    Set<String> addresses;
    BridgeCredentials credentials;
    try {
      addresses = addressesOf(ctx);
      credentials = credentialsOf(ctx);
    } catch (InvalidRequestException e) {
      RestResponses.error(ctx, e, correlationId);
      return;
    } catch (BridgeException e) {
      RestResponses.refusal(ctx, e, correlationId);
      return;
    }
    String since = positionOf(ctx);
    SseSink sink = new SseSink(ctx.vertx(), ctx.response());
    bridge.open(credentials, sink, options.getSource())
      .compose(session -> {
        if (!sink.attach(session)) {
          return Future.failedFuture(new BridgeException(BridgeError.SESSION_CLOSED, "the client went away"));
        }
        return subscribeAll(session, addresses, since).map(session);
      })
      .onComplete(ar -> {
        if (ar.succeeded()) {
          sink.start(options, correlationId, addresses);
        } else {
          sink.end();
          RestResponses.refusal(ctx, ar.cause(), correlationId);
        }
      });
  }

  /** @return the client's position: {@code Last-Event-ID}, else {@code ?since=}, else {@code null} */
  private static String positionOf(RoutingContext ctx) {
    String last = ctx.request().getHeader("Last-Event-ID");
    if (last == null || last.isBlank()) {
      last = ctx.request().getParam("since");
    }
    return last == null || last.isBlank() ? null : last.trim();
  }

  private static Future<Void> subscribeAll(BridgeSession session, Set<String> addresses, String since) {
    Future<Void> chain = Future.succeededFuture();
    for (String address : addresses) {
      chain = chain.compose(v -> session.subscribe(address, since).<Void>mapEmpty().recover(err -> {
        BridgeException refused = BridgeException.of(err, BridgeError.REGISTRATION_FAILURE);
        return Future.failedFuture(new BridgeException(refused.error(), "cannot stream '" + address + "': "
          + refused.getMessage()));
      }));
    }
    return chain;
  }

  private Set<String> addressesOf(RoutingContext ctx) {
    Set<String> addresses = new LinkedHashSet<>();
    for (String address : ctx.queryParam("address")) {
      add(addresses, address);
    }
    for (String list : ctx.queryParam("addresses")) {
      for (String address : list.split(",", -1)) {
        add(addresses, address);
      }
    }
    if (addresses.isEmpty()) {
      throw InvalidRequestException.badRequest("name at least one address: ?address=a&address=b or ?addresses=a,b");
    }
    return addresses;
  }

  private static void add(Set<String> addresses, String address) {
    String trimmed = address.trim();
    if (trimmed.isEmpty()) {
      throw InvalidRequestException.badRequest("an address must not be empty");
    }
    // an address is written into "event:" lines: a line break would let it forge frames
    if (trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0) {
      throw InvalidRequestException.badRequest("an address must not contain a line break");
    }
    addresses.add(trimmed);
  }

  private BridgeCredentials credentialsOf(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null && options.isAllowQueryToken()) {
      String token = ctx.request().getParam("access_token");
      if (token != null && !token.isBlank()) {
        return BridgeCredentials.bearer(token);
      }
    }
    return RestGuard.credentials(authorization);
  }

  private static Buffer frameOf(Delivery delivery) {
    StringBuilder frame = new StringBuilder(delivery.json().length() + delivery.address().length() + 64);
    Event event = delivery.event();
    if (event != null) {
      frame.append("id: ").append(event.id()).append('\n');
    }
    frame.append("event: ").append(delivery.address()).append('\n')
      .append("data: ").append(delivery.json()).append("\n\n");
    return Buffer.buffer(frame.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Buffer event(String name, JsonObject data) {
    return Buffer.buffer("event: " + name + "\ndata: " + data.encode() + "\n\n");
  }

  /** One stream: the bridge session's sink, writing to the chunked response once it started. */
  private static final class SseSink implements DeliverySink {
    private final Vertx vertx;
    private final HttpServerResponse response;
    private BridgeSession session;
    private Runnable onDrain;
    private boolean started;
    private boolean ended;
    private long keepAliveTimer = -1;

    SseSink(Vertx vertx, HttpServerResponse response) {
      this.vertx = vertx;
      this.response = response;
      // the client may leave while its addresses are being subscribed: the session must not outlive it
      response.closeHandler(v -> end());
      response.exceptionHandler(err -> end());
    }

    /** @return false when the client left while the session was being opened: the session is then closed */
    boolean attach(BridgeSession opened) {
      session = opened;
      if (ended) {
        opened.close();
        return false;
      }
      return true;
    }

    void start(EventStreamOptions options, String correlationId, Set<String> addresses) {
      if (ended || response.closed()) {
        end();
        return;
      }
      if (options.getWriteQueueMaxSize() > 0) {
        response.setWriteQueueMaxSize(options.getWriteQueueMaxSize());
      }
      response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader(RestResponses.CORRELATION_HEADER, correlationId);
      response.write("retry: " + options.getRetryMs() + "\n\n");
      response.write(event("open", new JsonObject()
        .put("user_id", session.identity().userId())
        .put("guest", session.identity().guest())
        .put("addresses", new JsonArray(addresses.stream().toList()))));
      started = true;
      response.drainHandler(v -> {
        if (onDrain != null) {
          onDrain.run();
        }
      });
      keepAliveTimer = vertx.setPeriodic(options.getKeepAliveMs(), id -> {
        // a keep-alive only matters on an idle stream; never grow a full write queue for it
        if (!ended && !response.writeQueueFull()) {
          response.write(KEEP_ALIVE);
        }
      });
      // deliveries that arrived while the addresses were subscribed wait in the session's queue
      if (onDrain != null) {
        onDrain.run();
      }
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      if (keepAliveTimer >= 0) {
        vertx.cancelTimer(keepAliveTimer);
      }
      if (session != null) {
        session.close();
      }
      if (started && !response.ended() && !response.closed()) {
        response.end();
      }
    }

    @Override
    public void deliver(Delivery delivery) {
      if (!ended) {
        response.write(delivery.encoded(SSE_FRAME));
      }
    }

    @Override
    public void write(Object frame) {
      if (!ended) {
        response.write(frame instanceof Buffer b ? b : Buffer.buffer(String.valueOf(frame)));
      }
    }

    @Override
    public void notice(BridgeNotice notice) {
      if (ended) {
        return;
      }
      JsonObject data = new JsonObject().put("message", notice.message());
      if (notice.kind() == BridgeNotice.Kind.DROPPED) {
        data.put("count", notice.count());
      } else if (notice.kind() == BridgeNotice.Kind.RECOVERY) {
        data.put("address", notice.address()).put("recovered", notice.recovered()).put("count", notice.count());
      } else {
        data.put("address", notice.address());
      }
      response.write(event(notice.kind().code(), data));
      if (notice.kind() == BridgeNotice.Kind.SUBSCRIPTION_REVOKED && session != null
        && session.subscriptions().isEmpty()) {
        // nothing left to stream: end it, so EventSource reconnects and is told why (403) if still refused. Not from
        // inside this call: the session is still walking its subscriptions
        vertx.getOrCreateContext().runOnContext(v -> end());
      }
    }

    @Override
    public boolean writable() {
      return started && !ended && !response.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable onDrain) {
      this.onDrain = onDrain;
    }

    @Override
    public void close(BridgeError reason, String message) {
      if (started && !ended && !response.closed()) {
        response.write(event("closed", new JsonObject().put("code", reason.code()).put("message", message)));
      }
      end();
    }
  }
}
