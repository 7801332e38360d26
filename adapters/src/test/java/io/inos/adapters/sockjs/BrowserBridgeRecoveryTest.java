package io.inos.adapters.sockjs;

import io.inos.adapters.RedisDoorsServer;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Event;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.WebSocketClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.RedisDoorsServer.campaignEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery on the SockJS door (raw WebSocket at {@code /eventbus/websocket}) and on the TCP-bridge door
 * ({@code /bridge/ws}): a {@code register} with {@code inos-last-event-id} gets a {@code recovery} frame, the missed
 * events in order, then the live flow.
 */
class BrowserBridgeRecoveryTest {

  /** A raw WebSocket client of either door: one JSON frame per message. */
  private static final class Socket {
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final io.vertx.core.http.WebSocket ws;
    /** Held: Vert.x 5 closes a client nothing references, under its connections. */
    final WebSocketClient client;

    Socket(RedisDoorsServer node, String path) throws Exception {
      client = node.vertx.createWebSocketClient();
      // the handler goes on in the connection's own callback, so no frame the server writes at once is missed
      ws = await(client.connect(node.port(), "127.0.0.1", path)
        .map(socket -> socket.textMessageHandler(text -> frames.add(new JsonObject(text)))));
    }

    void register(String address, String lastEventId) {
      JsonObject frame = new JsonObject().put("type", "register").put("address", address);
      if (lastEventId != null) {
        frame.put("headers", new JsonObject().put(BridgeFrames.LAST_EVENT_ID_HEADER, lastEventId));
      }
      ws.writeTextMessage(frame.encode());
    }

    JsonObject next() throws InterruptedException {
      JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(frame, "no frame within 10 s");
      return frame;
    }

    /** @return the next frame that is not a presence event (a SockJS socket on a campaign joins its presence) */
    JsonObject nextNotPresence() throws InterruptedException {
      while (true) {
        JsonObject frame = next();
        if (!isPresence(frame)) {
          return frame;
        }
      }
    }

    void close() throws Exception {
      await(ws.close());
    }
  }

  private void recoversOn(String path, String deliveryType) throws Exception {
    try (RedisDoorsServer node = RedisDoorsServer.start(new BridgeOptions())) {
      String campaign = "s" + UUID.randomUUID().toString().substring(0, 8);
      String address = "campaign:" + campaign;
      Socket first = new Socket(node, path);
      first.register(address, null);
      // registered once a publication arrives: publish until one does (the register is handled asynchronously)
      Event seen = campaignEvent(campaign, 0);
      awaitRegistered(node, address);
      node.nexus.publish(seen);
      JsonObject got = first.nextNotPresence();
      assertEquals(deliveryType, got.getString("type"), got.encode());
      assertEquals(seen.id(), got.getJsonObject("body").getString("id"));
      first.close();

      List<Event> missed = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        Event e = campaignEvent(campaign, i);
        node.nexus.publish(e);
        missed.add(e);
      }
      Socket again = new Socket(node, path);
      again.register(address, seen.id());
      JsonObject recovery = again.next();
      assertEquals(BridgeFrames.RECOVERY, recovery.getString("type"), recovery.encode());
      assertEquals(address, recovery.getString("address"));
      assertTrue(recovery.getJsonObject("body").getBoolean("recovered"), recovery.encode());
      // every event of the campaign after the position: the 4 published and, on SockJS, the first socket's
      // presence events that were published by then (on the campaign's address, so kept in its history too)
      int count = recovery.getJsonObject("body").getInteger("count");
      List<String> recovered = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        JsonObject frame = again.next();
        assertEquals(deliveryType, frame.getString("type"), frame.encode());
        assertEquals(address, frame.getString("address"));
        if (!isPresence(frame)) {
          recovered.add(frame.getJsonObject("body").getString("id"));
        }
      }
      assertEquals(missed.stream().map(Event::id).toList(), recovered, "the missed events, in order, once");
      if (!path.startsWith("/eventbus")) {
        assertEquals(4, count, "the TCP-bridge door keeps no presence: only the missed events");
      }
      Event live = campaignEvent(campaign, 5);
      node.nexus.publish(live);
      assertEquals(live.id(), again.nextNotPresence().getJsonObject("body").getString("id"));

      // a position the history does not hold: recovered false, then live
      Socket lost = new Socket(node, path);
      lost.register(address, UUID.randomUUID().toString());
      JsonObject notRecovered = lost.next();
      assertEquals(BridgeFrames.RECOVERY, notRecovered.getString("type"));
      assertFalse(notRecovered.getJsonObject("body").getBoolean("recovered"), notRecovered.encode());
      Event later = campaignEvent(campaign, 6);
      node.nexus.publish(later);
      assertEquals(later.id(), lost.nextNotPresence().getJsonObject("body").getString("id"));
      again.close();
      lost.close();
    }
  }

  private static boolean isPresence(JsonObject frame) {
    JsonObject body = frame.getValue("body") instanceof JsonObject b ? b : null;
    return body != null && String.valueOf(body.getString("type")).startsWith("campaign:presence");
  }

  /** The register is handled on the socket's event loop: wait until the bridge counts the subscriber. */
  private static void awaitRegistered(RedisDoorsServer node, String address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (node.doors.bridge().subscribers(address) == 0) {
      assertTrue(System.nanoTime() < deadline, "never registered at " + address);
      await(node.vertx.timer(10));
    }
  }

  @Test
  void sockJSRegisterWithTheLastEventIdRecovers() throws Exception {
    recoversOn("/eventbus/websocket", BridgeFrames.REC);
  }

  @Test
  void tcpBridgeRegisterWithTheLastEventIdRecovers() throws Exception {
    recoversOn("/bridge/ws", "message");
  }
}
