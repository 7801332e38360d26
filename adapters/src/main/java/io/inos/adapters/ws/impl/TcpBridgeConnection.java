package io.inos.adapters.ws.impl;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.adapters.bridge.impl.InOrderFrames;
import io.inos.adapters.sockjs.BridgeFrames;
import io.inos.adapters.sockjs.impl.Frames;
import io.inos.graceful.Code;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Outcomes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One WebSocket connection speaking the Vert.x TCP event-bus bridge's JSON frames (one frame per WebSocket message),
 * as a bridge session. Client frames: {@code {"type":"send|publish|register|unregister|ping","address","body",
 * "headers","replyAddress"}}; server frames: {@code message}, {@code err} (the code in {@code message}, as the TCP
 * bridge's {@code FrameHelper.sendErrFrame}) and {@code pong}. Frames are handled in order: a {@code register}
 * completes before the next frame is looked at.
 */
public final class TcpBridgeConnection implements DeliverySink {

  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeConnection.class);
  private static final String REQUESTED_SUFFIX = ":" + EventState.REQUESTED.wire();
  private static final short CLOSE_GOING_AWAY = 1001;
  private static final short CLOSE_POLICY = 1008;
  private static final String AUTHORIZATION = "Authorization";

  /** {@code {"type":"message","address":…,"headers":{…},"body":…}}, built once per message and address. */
  public static final Delivery.Form<String> MESSAGE = Delivery.Form.of("tcp-bridge-message",
    TcpBridgeConnection::messageFrame);

  private final ServerWebSocket ws;
  private final Bridge bridge;
  private final String source;
  private final int maxFrameBytes;
  private final Runnable onClosed;
  private final InOrderFrames frames;
  private BridgeSession session;
  private String handshakeToken;
  private boolean closed;
  private volatile long lastSeen = System.currentTimeMillis();
  private volatile long lastPing = System.currentTimeMillis();

  public TcpBridgeConnection(ServerWebSocket ws, Bridge bridge, String source, int maxFrameBytes, Runnable onClosed) {
    this.ws = ws;
    this.bridge = bridge;
    this.source = source;
    this.maxFrameBytes = maxFrameBytes;
    this.onClosed = onClosed;
    this.frames = new InOrderFrames("tcp-bridge " + ws.remoteAddress(), ws, this::handleFrame);
  }

  /** Opens the session and starts reading; call on the socket's context. */
  public void start(int writeQueueMaxSize) {
    if (writeQueueMaxSize > 0) {
      ws.setWriteQueueMaxSize(writeQueueMaxSize);
    }
    handshakeToken = BridgeCredentials.bearerToken(ws.headers().get(AUTHORIZATION));
    session = bridge.open(this, source);
    ws.exceptionHandler(err -> {
      LOG.debug("tcp-bridge socket {} failed: {}", ws.remoteAddress(), err.toString());
      ws.close();
    });
    ws.pongHandler(pong -> lastSeen = System.currentTimeMillis());
    ws.closeHandler(v -> onClose());
    ws.textMessageHandler(text -> onData(Buffer.buffer(text)));
    ws.binaryMessageHandler(this::onData);
  }

  /** Pings when the interval has passed; closes when nothing came within the read deadline. Any thread. */
  public void check(long now, long pingIntervalMs, long readTimeoutMs) {
    if (now - lastSeen >= readTimeoutMs) {
      ws.close(CLOSE_GOING_AWAY, "read_timeout");
    } else if (now - lastPing >= pingIntervalMs) {
      lastPing = now;
      ws.writePing(Buffer.buffer("ping"));
    }
  }

  public void close() {
    ws.close(CLOSE_GOING_AWAY, "server_closing");
  }

  // --- DeliverySink

  @Override
  public void deliver(Delivery delivery) {
    ws.writeTextMessage(delivery.encoded(MESSAGE));
  }

  @Override
  public void write(Object frame) {
    ws.writeTextMessage((String) frame);
  }

  @Override
  public void notice(BridgeNotice notice) {
    if (notice.kind() == BridgeNotice.Kind.RECOVERY) {
      ws.writeTextMessage(Frames.recovery(notice, BridgeFrames.RECOVERY));
      return;
    }
    JsonObject frame = err(notice.kind().code(), notice.message(), notice.address());
    if (notice.kind() == BridgeNotice.Kind.DROPPED) {
      frame.put("dropped", notice.count());
    }
    ws.writeTextMessage(frame.encode());
  }

  @Override
  public boolean writable() {
    return !ws.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    ws.drainHandler(v -> onDrain.run());
  }

  @Override
  public void close(BridgeError reason, String message) {
    ws.close(reason == BridgeError.SESSION_CLOSED ? CLOSE_GOING_AWAY : CLOSE_POLICY, reason.code());
  }

  // --- client frames, handled in order by InOrderFrames

  private void onData(Buffer data) {
    lastSeen = System.currentTimeMillis();
    frames.offer(data);
  }

  private Future<Void> handleFrame(Buffer data) {
    if (data.length() > maxFrameBytes) {
      return refuseFrame(BridgeError.FRAME_TOO_LARGE.code(), "the frame has " + data.length() + " bytes; the limit is "
        + maxFrameBytes, null);
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(data);
    } catch (DecodeException e) {
      parsed = null;
    }
    if (!(parsed instanceof JsonObject frame)) {
      return refuseFrame("invalid_json", "the frame is not a JSON object", null);
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String kind)) {
      return refuseFrame("missing_type", "the frame has no 'type'", null);
    }
    if ("ping".equals(kind)) {
      if (!session.admit()) {
        return refuse(overRate(), null);
      }
      session.write("{\"type\":\"pong\"}");
      return done();
    }
    String replyAddress = frame.getValue("replyAddress") instanceof String r ? r : null;
    if (!isOperation(kind)) {
      return refuseFrame("unknown_type", "unknown frame type '" + kind
        + "'; expected send, publish, register, unregister or ping", replyAddress);
    }
    if (!(frame.getValue("address") instanceof String address) || address.isEmpty()) {
      return refuseFrame("missing_address", "the frame has no 'address'", replyAddress);
    }
    Object body = frame.getValue("body");
    Object headers = frame.getValue("headers");
    return settleIdentity(headers)
      .compose(who -> switch (kind) {
        case "send" -> onSend(address, body, replyAddress);
        case "publish" -> session.publish(address, body);
        case "register" -> onRegister(address, headers);
        default -> session.unsubscribe(address);
      })
      .recover(err -> refuse(BridgeException.of(err, BridgeError.INVALID_EVENT), replyAddress));
  }

  private static boolean isOperation(String kind) {
    return switch (kind) {
      case "send", "publish", "register", "unregister" -> true;
      default -> false;
    };
  }

  /**
   * The first frame that is not a ping settles who the connection is: its {@code headers.Authorization}, else the
   * handshake's, else a guest. A later frame with another token is verified again (a refresh, another user).
   */
  private Future<BridgeIdentity> settleIdentity(Object headers) {
    String authorization = null;
    if (headers instanceof JsonObject h) {
      for (String key : h.fieldNames()) {
        if (key.equalsIgnoreCase(AUTHORIZATION) && h.getValue(key) instanceof String value) {
          authorization = value;
        }
      }
    }
    BridgeIdentity current = session.identity();
    BridgeCredentials credentials;
    if (authorization != null) {
      String token = BridgeCredentials.bearerToken(authorization);
      if (token == null) {
        return Future.failedFuture(new BridgeException(BridgeError.INVALID_TOKEN,
          "invalid_token: the Authorization header must be 'Bearer <token>'"));
      }
      credentials = BridgeCredentials.bearer(token);
    } else if (current != null) {
      return Future.succeededFuture(current);
    } else if (handshakeToken != null) {
      credentials = BridgeCredentials.bearer(handshakeToken);
    } else {
      credentials = BridgeCredentials.guest();
    }
    return session.authenticate(credentials)
      .recover(err -> Future.failedFuture(session.admit() ? err : overRate()));
  }

  /** A register, with recovery when its headers carry {@value BridgeFrames#LAST_EVENT_ID_HEADER}. */
  private Future<Void> onRegister(String address, Object headers) {
    String since = null;
    if (headers instanceof JsonObject h) {
      for (String key : h.fieldNames()) {
        if (key.equalsIgnoreCase(BridgeFrames.LAST_EVENT_ID_HEADER) && h.getValue(key) instanceof String value
          && !value.isBlank()) {
          since = value.trim();
        }
      }
    }
    return since == null ? session.subscribe(address) : session.subscribe(address, since).mapEmpty();
  }

  private Future<Void> onSend(String address, Object body, String replyAddress) {
    if (replyAddress == null || !address.endsWith(REQUESTED_SUFFIX)) {
      return session.send(address, body);
    }
    session.request(address, body).onComplete(ar -> {
      if (ar.succeeded()) {
        session.write(reply(replyAddress, ar.result()));
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
    session.close();
    onClosed.run();
  }

  private Future<Void> refuseFrame(String code, String message, String replyAddress) {
    if (!session.admit()) {
      return refuse(overRate(), replyAddress);
    }
    session.write(err(code, message, replyAddress).encode());
    return done();
  }

  private Future<Void> refuse(BridgeException refusal, String replyAddress) {
    JsonObject frame = err(refusal.error().code(), refusal.getMessage(), replyAddress);
    if (replyAddress != null) {
      frame.put("failureCode", refusal.error().outcome().grpcStatus())
        .put("failureType", refusal.error().outcome().name());
    }
    session.write(frame.encode());
    return done();
  }

  private static BridgeException overRate() {
    return new BridgeException(BridgeError.RATE_LIMIT_EXCEEDED, "too many frames per second on one connection");
  }

  private static Future<Void> done() {
    return Future.succeededFuture();
  }

  // --- frames

  /** {@code {"type":"err","message":code}} as the TCP bridge's, with the reason in {@code detail}. */
  private static JsonObject err(String code, String detail, String address) {
    JsonObject frame = new JsonObject().put("type", "err").put("message", code).put("detail", detail);
    if (address != null) {
      frame.put("address", address);
    }
    return frame;
  }

  private static String reply(String replyAddress, Event answer) {
    String outcome = answer.type().hasState(EventState.SUCCESS) ? Code.OK.name()
      : Outcomes.outcomeOf(answer).code().name();
    return new JsonObject().put("type", "message").put("address", replyAddress)
      .put("headers", new JsonObject().put("inos-outcome", outcome))
      .put("body", answer.toJson()).encode();
  }

  private static String messageFrame(Delivery delivery) {
    String json = delivery.json();
    StringBuilder frame = new StringBuilder(json.length() + delivery.address().length() + 64)
      .append("{\"type\":\"message\",\"address\":").append(Json.encode(delivery.address()));
    MultiMap headers = delivery.headers();
    if (!headers.isEmpty()) {
      JsonObject copy = new JsonObject();
      for (String name : headers.names()) {
        List<String> values = headers.getAll(name);
        copy.put(name, values.size() == 1 ? values.get(0) : values);
      }
      frame.append(",\"headers\":").append(copy.encode());
    }
    return frame.append(",\"body\":").append(json).append('}').toString();
  }
}
