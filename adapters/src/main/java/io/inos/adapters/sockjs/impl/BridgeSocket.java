package io.inos.adapters.sockjs.impl;

import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.GuestIds;
import io.inos.adapters.sockjs.BridgeFrames;
import io.inos.graceful.Outcome;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Outcomes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One browser connection speaking event-bus bridge frames. Frames are handled one after the other, in order: a
 * {@code register} completes (its consumer is registered) before the next frame is looked at, so a client that
 * registers and then sends a request cannot miss the events of that request.
 *
 * <p>State is touched on the socket's own context, except {@link #deliver}, which the subscription table calls on
 * its context and which only writes to the socket.
 */
public final class BridgeSocket implements Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeSocket.class);

  private final SockJSSocket sock;
  private final BridgeSettings settings;
  private final Runnable onClosed;
  private final Set<String> subscriptions = new HashSet<>();
  private final AtomicLong dropped = new AtomicLong();
  private BridgeIdentity identity;
  private int pendingRequests;
  private Future<Void> previous = Future.succeededFuture();
  private volatile long lastSeen = System.currentTimeMillis();
  private volatile boolean closed;

  public BridgeSocket(SockJSSocket sock, BridgeSettings settings, Runnable onClosed) {
    this.sock = sock;
    this.settings = settings;
    this.onClosed = onClosed;
  }

  /** Starts reading frames. */
  public void start() {
    int queue = settings.options().getWriteQueueMaxSize();
    if (queue > 0) {
      sock.setWriteQueueMaxSize(queue);
    }
    sock.exceptionHandler(err -> {
      LOG.debug("event-bus bridge socket {} failed: {}", sock.remoteAddress(), err.toString());
      sock.close();
    });
    sock.closeHandler(v -> onClose());
    sock.handler(this::onData);
  }

  /** @return when the client last sent anything, for the idle check */
  public long lastSeen() {
    return lastSeen;
  }

  /** @return deliveries dropped because the client did not read fast enough */
  public long droppedFrames() {
    return dropped.get();
  }

  /** @return the guest id, or {@code null} before the first frame that settles it */
  public String guestId() {
    BridgeIdentity who = identity;
    return who == null ? null : who.userId();
  }

  public void close() {
    sock.close();
  }

  @Override
  public void deliver(String frame) {
    if (closed) {
      return;
    }
    // a slow reader loses deliveries rather than making the server hold them without bound
    if (sock.writeQueueFull()) {
      dropped.incrementAndGet();
      return;
    }
    sock.write(frame);
  }

  private void onData(Buffer data) {
    lastSeen = System.currentTimeMillis();
    previous = previous.isComplete() ? handle(data) : previous.transform(ar -> handle(data));
  }

  private Future<Void> handle(Buffer data) {
    try {
      return handleFrame(data);
    } catch (RuntimeException e) {
      LOG.error("event-bus bridge: frame from {} failed", sock.remoteAddress(), e);
      return done();
    }
  }

  private Future<Void> handleFrame(Buffer data) {
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return refuse(BridgeFrames.INVALID_JSON, "the frame is not a JSON object", null);
    }
    Object type = frame.getValue("type");
    if (type == null) {
      return refuse(BridgeFrames.MISSING_TYPE, "the frame has no 'type'", null);
    }
    if (BridgeFrames.PING.equals(type)) {
      return done();
    }
    String replyAddress = frame.getValue("replyAddress") instanceof String r ? r : null;
    if (!(frame.getValue("address") instanceof String address) || address.isEmpty()) {
      return refuse(BridgeFrames.MISSING_ADDRESS, "the frame has no 'address'", replyAddress);
    }
    String mismatch = settleIdentity(frame.getValue("headers"));
    if (mismatch != null) {
      return refuse(BridgeFrames.ACCESS_DENIED, mismatch, replyAddress);
    }
    if (address.length() > settings.options().getMaxAddressLength()) {
      return refuse(BridgeFrames.MAX_ADDRESS_LENGTH_REACHED, "the address is longer than "
        + settings.options().getMaxAddressLength() + " characters", replyAddress);
    }
    if (!(type instanceof String kind)) {
      return refuse(BridgeFrames.INVALID_TYPE, "'type' must be a string", replyAddress);
    }
    return switch (kind) {
      case BridgeFrames.SEND -> onSend(frame, address, replyAddress, false);
      case BridgeFrames.PUBLISH -> onSend(frame, address, replyAddress, true);
      case BridgeFrames.REGISTER -> onRegister(address);
      case BridgeFrames.UNREGISTER -> onUnregister(address);
      default -> refuse(BridgeFrames.INVALID_TYPE, "unknown frame type '" + kind
        + "'; expected send, publish, register, unregister or ping", replyAddress);
    };
  }

  /**
   * The first frame that is not a ping settles who this socket is: the guest id the client proposes in the
   * {@value BridgeFrames#GUEST_ID_HEADER} header when it is well formed, else a new one.
   *
   * @return why the frame is refused (it names another guest), or {@code null}
   */
  private String settleIdentity(Object headers) {
    String proposed = headers instanceof JsonObject h && h.getValue(BridgeFrames.GUEST_ID_HEADER) instanceof String s
      ? s : null;
    if (identity == null) {
      identity = BridgeIdentity.guest(GuestIds.isGuestId(proposed) ? proposed : GuestIds.newGuestId());
      return null;
    }
    if (GuestIds.isGuestId(proposed) && !proposed.equals(identity.userId())) {
      return "this connection acts as " + identity.userId() + ", not " + proposed;
    }
    return null;
  }

  private Future<Void> onSend(JsonObject frame, String address, String replyAddress, boolean publish) {
    if (replyAddress != null && replyAddress.length() > BridgeFrames.MAX_REPLY_ADDRESS_LENGTH) {
      return refuse(BridgeFrames.INVALID_REPLY_ADDRESS, "the reply address is longer than "
        + BridgeFrames.MAX_REPLY_ADDRESS_LENGTH + " characters", null);
    }
    Object body = frame.getValue("body");
    if (!settings.rules().permitsInbound(address, body, identity)) {
      return refuse(BridgeFrames.ACCESS_DENIED, "sending to '" + address + "' is not permitted", replyAddress);
    }
    Event event;
    try {
      event = toEvent(address, body);
    } catch (IllegalArgumentException e) {
      return refuse(BridgeFrames.INVALID_EVENT, e.getMessage(), replyAddress);
    }
    if (!event.type().hasState(EventState.REQUESTED)) {
      settings.nexus().publish(event);
      return done();
    }
    if (publish) {
      return refuse(BridgeFrames.INVALID_EVENT, "a request goes to one service: use send, not publish", replyAddress);
    }
    if (replyAddress != null && pendingRequests >= settings.options().getMaxPendingRequestsPerSocket()) {
      return refuse(BridgeFrames.MAX_HANDLERS_REACHED, "more than " + settings.options().getMaxPendingRequestsPerSocket()
        + " requests are waiting for their outcome", replyAddress);
    }
    exchange(event, replyAddress);
    return done();
  }

  private void exchange(Event requested, String replyAddress) {
    if (replyAddress != null) {
      pendingRequests++;
    }
    settings.nexus().exchange(requested, settings.requestTimeoutMs()).onComplete(ar -> {
      if (replyAddress == null) {
        return;
      }
      pendingRequests--;
      // no service answered: the client still gets a :failed event with its correlation id, made here
      Event answer = ar.succeeded() ? ar.result()
        : Outcomes.failedEvent(requested, Outcome.of(ar.cause()), settings.options().getSource());
      write(Frames.reply(replyAddress, answer, identity.userId()));
    });
  }

  /**
   * The body as an event: the envelope's type defaults to the address and must equal it; the guest id is forced into
   * {@code metadata.global_context.user_id} (a guest may only act as itself).
   */
  private Event toEvent(String address, Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("the body must be an event envelope (a JSON object)");
    }
    JsonObject envelope = json.copy();
    Object type = envelope.getValue("type");
    if (type == null) {
      envelope.put("type", address);
    } else if (!address.equals(type)) {
      throw new IllegalArgumentException("the envelope's type '" + type + "' is not the address '" + address + "'");
    }
    if (!envelope.containsKey("source")) {
      envelope.put("source", settings.options().getSource());
    }
    Object metadata = envelope.getValue("metadata");
    if (metadata == null) {
      metadata = new JsonObject();
      envelope.put("metadata", metadata);
    } else if (!(metadata instanceof JsonObject)) {
      throw new IllegalArgumentException("field 'metadata' must be an object");
    }
    JsonObject md = (JsonObject) metadata;
    Object globalContext = md.getValue("global_context");
    if (globalContext == null) {
      globalContext = new JsonObject();
      md.put("global_context", globalContext);
    } else if (!(globalContext instanceof JsonObject)) {
      throw new IllegalArgumentException("field 'metadata.global_context' must be an object");
    }
    ((JsonObject) globalContext).put("user_id", identity.userId());
    return Event.fromJson(envelope);
  }

  private Future<Void> onRegister(String address) {
    if (!settings.rules().permitsOutbound(address, identity)) {
      return refuse(BridgeFrames.ACCESS_DENIED, "receiving from '" + address + "' is not permitted", null);
    }
    if (subscriptions.contains(address)) {
      return refuse(BridgeFrames.ADDRESS_ALREADY_REGISTERED, "already registered at '" + address + "'", null);
    }
    if (subscriptions.size() >= settings.options().getMaxSubscriptionsPerSocket()) {
      return refuse(BridgeFrames.MAX_HANDLERS_REACHED, "more than " + settings.options().getMaxSubscriptionsPerSocket()
        + " registrations on one connection", null);
    }
    subscriptions.add(address);
    return settings.table().subscribe(address, this).recover(err -> {
      LOG.warn("event-bus bridge: cannot register at {}: {}", address, err.toString());
      subscriptions.remove(address);
      return refuse(BridgeFrames.REGISTRATION_FAILURE, "cannot register at '" + address + "'", null);
    });
  }

  private Future<Void> onUnregister(String address) {
    if (subscriptions.remove(address)) {
      settings.table().unsubscribe(address, this);
    }
    return done();
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    for (String address : new ArrayList<>(subscriptions)) {
      settings.table().unsubscribe(address, this);
    }
    subscriptions.clear();
    onClosed.run();
  }

  private Future<Void> refuse(String code, String message, String replyAddress) {
    write(Frames.refusal(code, message, replyAddress));
    return done();
  }

  private void write(String frame) {
    if (!closed) {
      sock.write(frame);
    }
  }

  private static Future<Void> done() {
    return Future.succeededFuture();
  }
}
