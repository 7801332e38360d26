package io.inos.adapters.sockjs.impl;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.CampaignPresence;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.adapters.bridge.impl.InOrderFrames;
import io.inos.adapters.sockjs.BridgeFrames;
import io.inos.adapters.sockjs.BrowserBridgeOptions;
import io.inos.graceful.Code;
import io.inos.nexus.EventState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * One browser connection speaking event-bus bridge frames, as a bridge session. Frames are handled one after the
 * other, in order: a {@code register} completes (its consumer is registered) before the next frame is looked at, so
 * a client that registers and then sends a request cannot miss the events of that request.
 *
 * <p>Everything it writes passes its session's bounded outbound queue: deliveries, replies, refusals and notices.
 */
public final class BridgeSocket implements DeliverySink {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeSocket.class);
  private static final String REQUESTED_SUFFIX = ":" + EventState.REQUESTED.wire();
  /** WebSocket close status: policy violation. */
  private static final int CLOSE_POLICY = 1008;
  /** WebSocket close status: going away. */
  private static final int CLOSE_GOING_AWAY = 1001;

  private final SockJSSocket sock;
  private final Bridge bridge;
  private final BrowserBridgeOptions options;
  private final Runnable onClosed;
  private BridgeSession session;
  /** The campaigns this socket registered ({@code campaign:{id}}), in presence when the node has Redis. */
  private CampaignPresence presence;
  /** The token of the WebSocket handshake's {@code Authorization} header, for non-browser clients; or null. */
  private String handshakeToken;
  private final InOrderFrames frames;
  private volatile long lastSeen = System.currentTimeMillis();
  private boolean closed;
  private final int maxInboundPerSecond;

  /** @param maxInboundPerSecond the bridge's per-connection rate limit, for the refusal's message */
  public BridgeSocket(SockJSSocket sock, Bridge bridge, BrowserBridgeOptions options, int maxInboundPerSecond,
                      Runnable onClosed) {
    this.sock = sock;
    this.maxInboundPerSecond = maxInboundPerSecond;
    this.bridge = bridge;
    this.options = options;
    this.onClosed = onClosed;
    this.frames = new InOrderFrames("event-bus bridge " + sock.remoteAddress(), sock, this::handleFrame);
  }

  /** Opens the session and starts reading frames; call on the socket's context. */
  public void start() {
    int queue = options.getWriteQueueMaxSize();
    if (queue > 0) {
      sock.setWriteQueueMaxSize(queue);
    }
    handshakeToken = sock.headers() == null ? null
      : BridgeCredentials.bearerToken(sock.headers().get(BridgeFrames.AUTHORIZATION_HEADER));
    session = bridge.open(this, options.getSource());
    presence = CampaignPresence.of(bridge, session, options.getSource());
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

  /** @return the session's user id, or {@code null} before the first frame that settles it */
  public String userId() {
    BridgeIdentity who = session == null ? null : session.identity();
    return who == null ? null : who.userId();
  }

  public void close() {
    sock.close();
  }

  // --- DeliverySink: called by the session on this socket's context

  @Override
  public void deliver(Delivery delivery) {
    sock.write(delivery.encoded(Frames.REC));
  }

  @Override
  public void write(Object frame) {
    sock.write((String) frame);
  }

  @Override
  public void notice(BridgeNotice notice) {
    sock.write(Frames.notice(notice));
  }

  @Override
  public boolean writable() {
    if (closed) {
      return false;
    }
    try {
      return !sock.writeQueueFull();
    } catch (IllegalStateException closing) {
      // the WebSocket closed before its close handler ran (Vert.x asks a closed socket to throw here): nothing more
      // goes to it, and the close handler ends the session
      return false;
    }
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    sock.drainHandler(v -> onDrain.run());
  }

  @Override
  public void close(BridgeError reason, String message) {
    LOG.debug("event-bus bridge: closing {}: {}", sock.remoteAddress(), message);
    sock.close(reason == BridgeError.SESSION_CLOSED ? CLOSE_GOING_AWAY : CLOSE_POLICY, reason.code());
  }

  // --- frames from the client, handled in order by InOrderFrames

  private void onData(Buffer data) {
    lastSeen = System.currentTimeMillis();
    frames.offer(data);
  }

  private Future<Void> handleFrame(Buffer data) {
    if (data.length() > options.getMaxFrameBytes()) {
      return refuseFrame(BridgeFrames.FRAME_TOO_LARGE, Code.RESOURCE_EXHAUSTED, "the frame has " + data.length()
        + " bytes; the limit is " + options.getMaxFrameBytes(), null);
    }
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return refuseFrame(BridgeFrames.INVALID_JSON, Code.INVALID_ARGUMENT, "the frame is not a JSON object", null);
    }
    Object type = frame.getValue("type");
    if (type == null) {
      return refuseFrame(BridgeFrames.MISSING_TYPE, Code.INVALID_ARGUMENT, "the frame has no 'type'", null);
    }
    if (BridgeFrames.PING.equals(type)) {
      return session.admit() ? done() : refuse(overRate(), null);
    }
    String replyAddress = frame.getValue("replyAddress") instanceof String r ? r : null;
    if (!(frame.getValue("address") instanceof String address) || address.isEmpty()) {
      return refuseFrame(BridgeFrames.MISSING_ADDRESS, Code.INVALID_ARGUMENT, "the frame has no 'address'",
        replyAddress);
    }
    if (!(type instanceof String kind) || !isOperation(kind)) {
      return refuseFrame(BridgeFrames.INVALID_TYPE, Code.INVALID_ARGUMENT, type instanceof String ? "unknown frame type '"
        + type + "'; expected send, publish, register, unregister or ping" : "'type' must be a string", replyAddress);
    }
    if (replyAddress != null && replyAddress.length() > BridgeFrames.MAX_REPLY_ADDRESS_LENGTH) {
      return refuseFrame(BridgeFrames.INVALID_REPLY_ADDRESS, Code.INVALID_ARGUMENT, "the reply address is longer than "
        + BridgeFrames.MAX_REPLY_ADDRESS_LENGTH + " characters", null);
    }
    Object body = frame.getValue("body");
    Object headers = frame.getValue("headers");
    return settleIdentity(headers)
      .compose(identity -> switch (kind) {
        case BridgeFrames.SEND -> onSend(address, body, replyAddress);
        case BridgeFrames.PUBLISH -> session.publish(address, body);
        case BridgeFrames.REGISTER -> onRegister(address, headers);
        default -> session.unsubscribe(address).onSuccess(v -> presence.leave(CampaignPresence.campaignOf(address)));
      })
      .recover(err -> refuse(BridgeException.of(err, BridgeError.INVALID_EVENT), replyAddress));
  }

  private static boolean isOperation(String kind) {
    return switch (kind) {
      case BridgeFrames.SEND, BridgeFrames.PUBLISH, BridgeFrames.REGISTER, BridgeFrames.UNREGISTER -> true;
      default -> false;
    };
  }

  /**
   * Who the frame comes from: its {@code Authorization: Bearer …} header (verified when it is new: it may sign the
   * connection in, or refresh or change its token), else the handshake's token, else a guest (its
   * {@value BridgeFrames#GUEST_ID_HEADER} when well formed). Once settled, a frame without credentials keeps the
   * identity.
   */
  private Future<BridgeIdentity> settleIdentity(Object headers) {
    JsonObject h = headers instanceof JsonObject json ? json : null;
    String authorization = h == null ? null : header(h, BridgeFrames.AUTHORIZATION_HEADER);
    String proposedGuest = h == null ? null : header(h, BridgeFrames.GUEST_ID_HEADER);
    BridgeIdentity current = session.identity();
    BridgeCredentials credentials;
    if (authorization != null) {
      String token = BridgeCredentials.bearerToken(authorization);
      if (token == null) {
        return Future.failedFuture(new BridgeException(BridgeError.INVALID_TOKEN,
          "invalid_token: the Authorization header must be 'Bearer <token>'"));
      }
      credentials = BridgeCredentials.bearer(token);
    } else if (current == null && handshakeToken != null) {
      credentials = BridgeCredentials.bearer(handshakeToken);
    } else if (current != null && proposedGuest == null) {
      return Future.succeededFuture(current);
    } else {
      credentials = BridgeCredentials.guest(proposedGuest);
    }
    // a refused identity means no operation, so the frame takes its token of the rate limit here
    return session.authenticate(credentials)
      .onSuccess(identity -> handshakeToken = null) // settled: the session remembers it, no need to hold it twice
      .recover(err -> Future.failedFuture(session.admit() ? err : overRate()));
  }

  /** Header names are matched case-insensitively, as HTTP's. */
  private static String header(JsonObject headers, String name) {
    Object value = headers.getValue(name);
    if (value == null) {
      for (String key : headers.fieldNames()) {
        if (key.equalsIgnoreCase(name)) {
          value = headers.getValue(key);
          break;
        }
      }
    }
    return value instanceof String s ? s : null;
  }

  /**
   * A register, with recovery when it carries {@value BridgeFrames#LAST_EVENT_ID_HEADER}; a {@code campaign:{id}}
   * address enters the campaign's presence.
   */
  private Future<Void> onRegister(String address, Object headers) {
    String since = headers instanceof JsonObject h ? header(h, BridgeFrames.LAST_EVENT_ID_HEADER) : null;
    Future<?> subscribed = since == null || since.isBlank() ? session.subscribe(address)
      : session.subscribe(address, since.trim());
    return subscribed.<Void>mapEmpty().onSuccess(v -> presence.join(CampaignPresence.campaignOf(address)));
  }

  private Future<Void> onSend(String address, Object body, String replyAddress) {
    if (replyAddress == null || !address.endsWith(REQUESTED_SUFFIX)) {
      // fire and forget, or an event that is published: no reply to wait for
      return session.send(address, body);
    }
    // the outcome is not waited for here: the next frames need not wait for a service
    session.request(address, body).onComplete(ar -> {
      if (ar.succeeded()) {
        session.write(Frames.reply(replyAddress, ar.result(), session.identity()));
      } else {
        refuse(BridgeException.of(ar.cause(), BridgeError.INVALID_EVENT), replyAddress);
      }
    });
    return done();
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    if (session != null) {
      session.close();
    }
    if (presence != null) {
      presence.leaveAll();
    }
    onClosed.run();
  }

  /** Refuses a frame that carries no operation; it still counts against the rate limit. */
  private Future<Void> refuseFrame(String code, Code outcome, String message, String replyAddress) {
    if (!session.admit()) {
      return refuse(overRate(), replyAddress);
    }
    session.write(Frames.refusal(code, outcome, message, replyAddress));
    return done();
  }

  private Future<Void> refuse(BridgeException refusal, String replyAddress) {
    session.write(Frames.refusal(refusal.error().code(), refusal.error().outcome(), refusal.getMessage(),
      replyAddress));
    return done();
  }

  private BridgeException overRate() {
    return new BridgeException(BridgeError.RATE_LIMIT_EXCEEDED, "more than " + maxInboundPerSecond
      + " messages per second on one connection");
  }

  private static Future<Void> done() {
    return Future.succeededFuture();
  }
}
