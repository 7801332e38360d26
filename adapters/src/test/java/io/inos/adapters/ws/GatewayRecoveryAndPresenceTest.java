package io.inos.adapters.ws;

import io.inos.adapters.RedisDoorsServer;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Event;
import io.inos.nexus.redis.Presence;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.RedisDoorsServer.campaignEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway with the Redis extension: {@code ?since_campaign=} recovers the campaign's missed events before the
 * live flow; its connections are present in their campaign, as are SockJS sockets that register
 * {@code campaign:{id}}, readable at {@code GET /api/presence/{campaign}}.
 */
class GatewayRecoveryAndPresenceTest {

  @Test
  void aReconnectingGatewayClientRecoversTheCampaignsMissedEvents() throws Exception {
    try (RedisDoorsServer node = RedisDoorsServer.start(new BridgeOptions())) {
      String campaign = "g" + UUID.randomUUID().toString().substring(0, 8);
      Event seen = campaignEvent(campaign, 0);
      node.nexus.publish(seen);
      List<Event> missed = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        Event e = campaignEvent(campaign, i);
        node.nexus.publish(e);
        missed.add(e);
      }
      GatewayClient client = GatewayClient.connect(node.vertx, node.port(), "/ws/" + campaign + "?since_campaign="
        + seen.id());
      JsonObject notice = client.next().envelope();
      assertEquals("notice:recovery", notice.getString("type"), notice.encode());
      JsonObject payload = notice.getJsonObject("payload");
      assertEquals("campaign:" + campaign, payload.getString("address"));
      assertTrue(payload.getBoolean("recovered"), payload.encode());
      assertEquals(3, payload.getInteger("count"));
      for (Event e : missed) {
        assertEquals(e.id(), client.next().envelope().getString("id"));
      }
      Event live = campaignEvent(campaign, 4);
      node.nexus.publish(live);
      // (its own presence join, published on the campaign's address too, may come first)
      assertEquals(live.id(), client.next(f -> !f.type().startsWith("campaign:presence")).envelope().getString("id"));
      client.close();
    }
  }

  @Test
  void gatewayAndSockJSConnectionsArePresentInTheirCampaignUntilTheyClose() throws Exception {
    try (RedisDoorsServer node = RedisDoorsServer.start(new BridgeOptions())) {
      WebClient web = WebClient.create(node.vertx);
      String campaign = "p" + UUID.randomUUID().toString().substring(0, 8);
      String address = "campaign:" + campaign;
      GatewayClient gateway = GatewayClient.connect(node.vertx, node.port(), "/ws/" + campaign);
      JsonArray members = awaitPresence(node, web, campaign, m -> m.size() == 1);
      assertEquals("ws", members.getJsonObject(0).getJsonObject("info").getString("protocol"));
      assertEquals(node.redis.nodeId(), members.getJsonObject(0).getString("node_id"));
      assertTrue(members.getJsonObject(0).getString("user_id").startsWith("guest_"));

      // held in a variable: Vert.x 5 closes a client nothing references, which can cut the handshake
      WebSocketClient sockJS = node.vertx.createWebSocketClient();
      WebSocket sock = await(sockJS.connect(node.port(), "127.0.0.1", "/eventbus/websocket"));
      sock.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
      members = awaitPresence(node, web, campaign, m -> m.size() == 2);
      assertTrue(members.stream().map(JsonObject.class::cast)
        .anyMatch(m -> "sockjs".equals(m.getJsonObject("info").getString("protocol"))), members.encode());

      // the join was announced on the campaign's address: the gateway client receives the SockJS socket's
      JsonObject join = gateway.next(f -> Presence.JOIN_TYPE.equals(f.type())
        && f.envelope().encode().contains("sockjs")).envelope();
      assertEquals(campaign, join.getJsonObject("payload").getJsonObject("data").getString("campaign_id"),
        join.encode());

      gateway.close();
      members = awaitPresence(node, web, campaign, m -> m.size() == 1);
      assertEquals("sockjs", members.getJsonObject(0).getJsonObject("info").getString("protocol"));
      await(sock.close());
      await(sockJS.close());
      awaitPresence(node, web, campaign, JsonArray::isEmpty);
      web.close();
    }
  }

  /** Reads {@code GET /api/presence/{campaign}} until its members pass {@code until}; fails after 10 s. */
  private static JsonArray awaitPresence(RedisDoorsServer node, WebClient web, String campaign,
                                         Predicate<JsonArray> until) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      HttpResponse<Buffer> answer = await(web.get(node.port(), "127.0.0.1", "/api/presence/" + campaign).send());
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      JsonObject body = answer.bodyAsJsonObject();
      JsonArray members = body.getJsonArray("members");
      assertEquals(members.size(), body.getInteger("count"));
      if (until.test(members)) {
        return members;
      }
      assertTrue(System.nanoTime() < deadline, "presence of " + campaign + " stayed " + members.encode());
      await(node.vertx.timer(20));
    }
  }
}
