package io.inos.adapters.ws.impl;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.CampaignPresence;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.nexus.InvalidEventTypeException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One gateway connection at {@code /ws/{campaign}/{user}}, as a bridge session. Client frames are canonical
 * envelopes: a {@code :requested} one is exchanged and its outcome sent back, any other is published (when the rules
 * permit). Everything sent passes the session's bounded queue.
 */
public final class GatewayConnection implements DeliverySink {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);
  private static final short CLOSE_NORMAL = 1000;
  private static final short CLOSE_GOING_AWAY = 1001;
  private static final short CLOSE_POLICY = 1008;
  private static final int MAX_REMEMBERED_OUTCOMES = 256;

  private final String campaignId;
  private final String userId;
  private final GatewayFrames frames;
  private final int maxFrameBytes;
  private final Context context;
  private BridgeSession session;
  private ServerWebSocket ws;
  private volatile long lastSeen = System.currentTimeMillis();
  private volatile long lastPing = System.currentTimeMillis();
  private boolean closed;
  private Runnable onDrain;
  /** Requests of this connection waiting for their outcome. */
  private int pendingRequests;
  /**
   * Ids of outcome events sent one way and still expected the other way: a request's outcome comes back as the
   * answer and also, published at {@code user:{id}}, as a delivery; the client gets it once. Made on the first
   * request, bounded.
   */
  private Set<String> outcomesSent;
  private Runnable onClosed = () -> { };
  private CampaignPresence presence;

  public GatewayConnection(String campaignId, String userId, GatewayFrames frames, int maxFrameBytes) {
    this.campaignId = campaignId;
    this.userId = userId;
    this.frames = frames;
    this.maxFrameBytes = maxFrameBytes;
    this.context = Vertx.currentContext();
  }

  public String campaignId() {
    return campaignId;
  }

  /** @return the user of the path; for a connection without a user, the guest id its session got */
  public String userId() {
    return userId != null ? userId : session.identity().userId();
  }

  public long lastSeen() {
    return lastSeen;
  }

  /** Starts reading the upgraded socket; call on the connection's context. */
  public void start(ServerWebSocket ws, BridgeSession session, CampaignPresence presence, int writeQueueMaxSize,
                    Runnable onClosed) {
    this.ws = ws;
    this.session = session;
    this.presence = presence;
    this.onClosed = onClosed;
    if (writeQueueMaxSize > 0) {
      ws.setWriteQueueMaxSize(writeQueueMaxSize);
    }
    if (onDrain != null) {
      Runnable drained = onDrain;
      ws.drainHandler(v -> drained.run());
    }
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.pongHandler(pong -> lastSeen = System.currentTimeMillis());
    ws.exceptionHandler(err -> {
      LOG.debug("gateway socket {} failed: {}", ws.remoteAddress(), err.toString());
      ws.close();
    });
    ws.closeHandler(v -> onClose());
    // what arrived before the upgrade (recovered events, live deliveries) waits in the session's queue: write it
    if (onDrain != null) {
      onDrain.run();
    }
    presence.join(campaignId);
  }

  /** Pings when the interval has passed; closes when nothing came within the read deadline. Any thread. */
  public void check(long now, long pingIntervalMs, long readTimeoutMs) {
    if (ws == null) {
      return;
    }
    if (now - lastSeen >= readTimeoutMs) {
      ws.close(CLOSE_GOING_AWAY, "read_timeout");
    } else if (now - lastPing >= pingIntervalMs) {
      lastPing = now;
      ws.writePing(Buffer.buffer("ping"));
    }
  }

  /** A new connection of the same user under the same campaign replaced this one. Any thread. */
  public void replaced() {
    context.runOnContext(v -> ws.close(CLOSE_NORMAL, "replaced_by_new_connection"));
  }

  /** The same user connected under another campaign: tell the client, then close. Any thread. */
  public void switchedTo(String newCampaign) {
    context.runOnContext(v -> {
      // straight to the socket, ahead of any delivery still queued for a slow reader: the connection closes next,
      // so what waits in the queue is lost anyway, and this frame is the one the client must see; the WebSocket
      // writes it before its close frame
      writeFrame(frames.switchRequired(campaignId, newCampaign));
      ws.close(CLOSE_NORMAL, "campaign_switch");
    });
  }

  public void close() {
    if (ws != null) {
      ws.close(CLOSE_GOING_AWAY, "server_closing");
    }
  }

  // --- DeliverySink

  @Override
  public void deliver(Delivery delivery) {
    Event event = delivery.event();
    if (event != null && event.type().hasState(EventState.REQUESTED)) {
      return; // a request is never echoed to clients
    }
    if (event != null && isOutcome(event) && !firstOfOutcome(event.id())) {
      return;
    }
    writeFrame(delivery.encoded(frames.deliveryForm()));
  }

  private static boolean isOutcome(Event event) {
    return event.type().hasState(EventState.SUCCESS) || event.type().hasState(EventState.FAILED);
  }

  /** @return whether the outcome {@code id} was not sent yet (and remembers it when a request may still bring it) */
  private boolean firstOfOutcome(String id) {
    if (outcomesSent != null && outcomesSent.remove(id)) {
      return false;
    }
    if (pendingRequests > 0) {
      if (outcomesSent == null) {
        outcomesSent = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED_OUTCOMES;
          }
        });
      }
      outcomesSent.add(id);
    }
    return true;
  }

  @Override
  public void write(Object frame) {
    writeFrame(frame);
  }

  @Override
  public void notice(BridgeNotice notice) {
    writeFrame(frames.notice(notice));
  }

  @Override
  public boolean writable() {
    // before the upgrade, deliveries wait in the session's queue (bounded) instead of being lost
    return ws != null && !ws.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    // the session is opened before the upgrade: the handler goes on the socket once there is one (start)
    this.onDrain = onDrain;
    if (ws != null) {
      ws.drainHandler(v -> onDrain.run());
    }
  }

  @Override
  public void close(BridgeError reason, String message) {
    LOG.debug("gateway: closing {}: {}", ws == null ? "(not upgraded)" : ws.remoteAddress(), message);
    if (ws != null) {
      ws.close(reason == BridgeError.SESSION_CLOSED ? CLOSE_GOING_AWAY : CLOSE_POLICY, reason.code());
    }
  }

  private void writeFrame(Object frame) {
    if (ws == null || ws.isClosed()) {
      return;
    }
    if (frame instanceof Buffer binary) {
      ws.writeBinaryMessage(binary);
    } else {
      ws.writeTextMessage((String) frame);
    }
  }

  // --- client frames

  private void onBinary(Buffer message) {
    lastSeen = System.currentTimeMillis();
    if (!ZstdFrames.isCompressed(message)) {
      handle(message.toString(StandardCharsets.UTF_8), message.length());
      return;
    }
    byte[] text;
    try {
      text = ZstdFrames.decompress(message, maxFrameBytes);
    } catch (ZstdFrames.FrameTooLarge e) {
      refuseFrame(GatewayFrames.VALIDATION_ERROR, BridgeError.FRAME_TOO_LARGE.code(), e.getMessage(), null);
      return;
    } catch (IllegalArgumentException e) {
      refuseFrame(GatewayFrames.PARSE_ERROR, GatewayFrames.PARSE_ERROR, e.getMessage(), null);
      return;
    }
    handle(new String(text, StandardCharsets.UTF_8), text.length);
  }

  private void onText(String text) {
    lastSeen = System.currentTimeMillis();
    handle(text, text.length());
  }

  private void handle(String text, int bytes) {
    try {
      handleFrame(text, bytes);
    } catch (RuntimeException e) {
      LOG.error("gateway: frame from {} failed", ws.remoteAddress(), e);
    }
  }

  private void handleFrame(String text, int bytes) {
    if (bytes > maxFrameBytes) {
      refuseFrame(GatewayFrames.VALIDATION_ERROR, BridgeError.FRAME_TOO_LARGE.code(), "the frame has " + bytes
        + " bytes; the limit is " + maxFrameBytes, null);
      return;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      refuseFrame(GatewayFrames.PARSE_ERROR, GatewayFrames.PARSE_ERROR, "the frame is not JSON", null);
      return;
    }
    if (!(parsed instanceof JsonObject envelope)) {
      refuseFrame(GatewayFrames.VALIDATION_ERROR, GatewayFrames.VALIDATION_ERROR,
        "the frame must be an event envelope (a JSON object)", null);
      return;
    }
    String correlationId = envelope.getValue("correlation_id") instanceof String c ? c : null;
    Object type = envelope.getValue("type");
    if (!(type instanceof String typeName)) {
      refuseFrame(GatewayFrames.VALIDATION_ERROR, GatewayFrames.VALIDATION_ERROR, type == null
        ? "the field 'type' is missing" : "the field 'type' must be a string", correlationId);
      return;
    }
    EventType eventType;
    try {
      eventType = EventType.parse(typeName);
      Event.fromJson(envelope);
    } catch (InvalidEventTypeException e) {
      refuseFrame(GatewayFrames.INVALID_EVENT_TYPE, GatewayFrames.INVALID_EVENT_TYPE, e.getMessage(), correlationId);
      return;
    } catch (IllegalArgumentException e) {
      refuseFrame(GatewayFrames.VALIDATION_ERROR, GatewayFrames.VALIDATION_ERROR, e.getMessage(), correlationId);
      return;
    }
    if (eventType.hasState(EventState.REQUESTED)) {
      // answered when the outcome comes; the next frames need not wait for the service
      pendingRequests++;
      session.request(typeName, envelope).onComplete(ar -> {
        if (ar.succeeded()) {
          // counted as still pending while deciding, so that a delivery that comes later is recognised
          if (firstOfOutcome(ar.result().id())) {
            session.write(frames.answer(ar.result()));
          }
          pendingRequests--;
        } else {
          pendingRequests--;
          refuse(BridgeException.of(ar.cause(), BridgeError.INVALID_EVENT), correlationId);
        }
      });
    } else {
      session.publish(typeName, envelope)
        .onFailure(err -> refuse(BridgeException.of(err, BridgeError.INVALID_EVENT), correlationId));
    }
  }

  /** Refuses a frame that carries no operation; it still takes its token of the rate limit. */
  private void refuseFrame(String kind, String code, String message, String correlationId) {
    if (!session.admit()) {
      session.write(frames.error(GatewayFrames.RATE_LIMIT_EXCEEDED, GatewayFrames.RATE_LIMIT_EXCEEDED,
        "over the limit of frames per second on one connection", correlationId));
      return;
    }
    session.write(frames.error(kind, code, message, correlationId));
  }

  private void refuse(BridgeException refusal, String correlationId) {
    session.write(frames.error(GatewayFrames.kindOf(refusal.error()), refusal.error().code(), refusal.getMessage(),
      correlationId));
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    session.close();
    if (presence != null) {
      presence.leaveAll();
    }
    onClosed.run();
  }
}
