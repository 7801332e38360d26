package io.inos.adapters.http;

import io.inos.adapters.DoorsServer;
import io.inos.adapters.RedisDoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Event;
import io.inos.nexus.redis.Recovery;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.RedisDoorsServer.campaignEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSE recovery against the machine's Redis: a client reconnecting with {@code Last-Event-ID} gets a {@code recovery}
 * event, exactly the events it missed in order, then the live flow; {@code recovered: false} when its position was
 * trimmed or the server keeps no history.
 */
class EventStreamRecoveryTest {

  private static String campaign() {
    return "r" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String uri(String address) {
    return "/api/events/stream?address=" + address;
  }

  private static HttpClient client(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(8));
  }

  /** @return the next frame that is an event (keep-alive comments skipped): nothing else may come in between */
  private static SseStream.Frame nextEvent(SseStream stream) throws InterruptedException {
    return stream.next(f -> f.event() != null);
  }

  private static void assertDelivered(SseStream stream, String address, Event expected) throws InterruptedException {
    SseStream.Frame frame = nextEvent(stream);
    assertEquals(address, frame.event(), "expected the event " + expected.id() + ", got " + frame);
    assertEquals(expected.id(), frame.id());
  }

  @Test
  void aReconnectingClientGetsExactlyWhatItMissedThenTheLiveFlow() throws Exception {
    try (RedisDoorsServer node = RedisDoorsServer.start(new BridgeOptions())) {
      HttpClient http = client(node.vertx);
      String campaign = campaign();
      String address = "campaign:" + campaign;
      SseStream first = await(SseStream.open(http, node.port(), uri(address), null));
      assertEquals(200, first.status);
      first.nextEvent("open");
      List<Event> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Event e = campaignEvent(campaign, i);
        node.nexus.publish(e);
        seen.add(e);
        assertDelivered(first, address, e);
      }
      await(first.close());

      List<Event> missed = new ArrayList<>();
      for (int i = 3; i < 6; i++) {
        Event e = campaignEvent(campaign, i);
        node.nexus.publish(e);
        missed.add(e);
      }
      SseStream again = await(SseStream.open(http, node.port(), uri(address), null, seen.get(2).id()));
      assertEquals(200, again.status);
      assertEquals("open", nextEvent(again).event());
      SseStream.Frame recovery = nextEvent(again);
      assertEquals("recovery", recovery.event());
      assertTrue(recovery.json().getBoolean("recovered"), recovery.data());
      assertEquals(3, recovery.json().getInteger("count"));
      assertEquals(address, recovery.json().getString("address"));
      for (Event e : missed) {
        assertDelivered(again, address, e);
      }
      Event live = campaignEvent(campaign, 6);
      node.nexus.publish(live);
      assertDelivered(again, address, live);
      await(again.close());
      await(http.close());
    }
  }

  /**
   * The subtle part: events keep being published while the client reconnects. Whatever the interleaving of the live
   * subscription, this node's pending appends and the history read, the client gets every event after its last one
   * exactly once, in publication order.
   */
  @Test
  void nothingIsLostOrDoubledWhileEventsArePublishedDuringTheReconnection() throws Exception {
    try (RedisDoorsServer node = RedisDoorsServer.start(new BridgeOptions().setMaxQueuedMessages(10_000))) {
      HttpClient http = client(node.vertx);
      String campaign = campaign();
      String address = "campaign:" + campaign;
      int total = 600;
      List<Event> published = Collections.synchronizedList(new ArrayList<>());
      Promise<Void> allPublished = Promise.promise();
      SseStream first = await(SseStream.open(http, node.port(), uri(address), null));
      first.nextEvent("open");
      // a steady publisher on the node's event loop: 3 events every 2 ms
      node.vertx.setPeriodic(2, id -> {
        for (int i = 0; i < 3 && published.size() < total; i++) {
          Event e = campaignEvent(campaign, published.size());
          published.add(e);
          node.nexus.publish(e);
        }
        if (published.size() >= total) {
          node.vertx.cancelTimer(id);
          allPublished.tryComplete();
        }
      });
      String lastSeen = null;
      for (int i = 0; i < 100; i++) {
        SseStream.Frame frame = nextEvent(first);
        assertEquals(published.get(i).id(), frame.id());
        lastSeen = frame.id();
      }
      await(first.close());
      SseStream again = await(SseStream.open(http, node.port(), uri(address), null, lastSeen));
      assertEquals("open", nextEvent(again).event());
      SseStream.Frame recovery = nextEvent(again);
      assertEquals("recovery", recovery.event());
      assertTrue(recovery.json().getBoolean("recovered"), recovery.data());
      await(allPublished.future());
      List<String> expected = new ArrayList<>();
      synchronized (published) {
        for (int i = 100; i < published.size(); i++) {
          expected.add(published.get(i).id());
        }
      }
      List<String> received = new ArrayList<>();
      Set<String> unique = new HashSet<>();
      while (received.size() < expected.size()) {
        SseStream.Frame frame = nextEvent(again);
        assertEquals(address, frame.event(), "unexpected frame " + frame);
        received.add(frame.id());
        unique.add(frame.id());
      }
      assertEquals(received.size(), unique.size(), "no event twice");
      assertEquals(expected, received, "every missed and live event, once, in publication order");
      // and nothing extra follows: the next frame is the next live event
      Event live = campaignEvent(campaign, total);
      node.nexus.publish(live);
      assertDelivered(again, address, live);
      await(again.close());
      await(http.close());
    }
  }

  @Test
  void aTrimmedPositionIsAnsweredRecoveredFalseThenTheLiveFlow() throws Exception {
    try (RedisDoorsServer node = RedisDoorsServer.start(new BridgeOptions())) {
      HttpClient http = client(node.vertx);
      // campaign:trim* keeps 5 events; Redis trims whole nodes of 100 entries, so 300 more push the first one out
      String campaign = "trim" + UUID.randomUUID().toString().substring(0, 8);
      String address = "campaign:" + campaign;
      Event old = campaignEvent(campaign, 0);
      node.nexus.publish(old);
      for (int i = 1; i <= 300; i++) {
        node.nexus.publish(campaignEvent(campaign, i));
      }
      await(node.redis.history().settled());
      Recovery direct = await(node.redis.history().recoverAfterEvent(address, old.id()));
      assertFalse(direct.recovered(), "the history was trimmed past the first event");

      SseStream stream = await(SseStream.open(http, node.port(), uri(address), null, old.id()));
      assertEquals("open", nextEvent(stream).event());
      SseStream.Frame recovery = nextEvent(stream);
      assertEquals("recovery", recovery.event());
      JsonObject data = recovery.json();
      assertFalse(data.getBoolean("recovered"), recovery.data());
      assertEquals(0, data.getInteger("count"));
      assertTrue(data.getString("message").contains("no longer reaches back"), data.getString("message"));
      Event live = campaignEvent(campaign, 301);
      node.nexus.publish(live);
      assertDelivered(stream, address, live);
      await(stream.close());
      await(http.close());
    }
  }

  @Test
  void withoutRedisAReconnectingClientIsToldNothingWasRecovered() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      DoorsServer server = DoorsServer.start(vertx, new WebDoorsOptions().setGrpcEnabled(false));
      HttpClient http = client(vertx);
      String campaign = campaign();
      String address = "campaign:" + campaign;
      SseStream stream = await(SseStream.open(http, server.port(), uri(address), null, UUID.randomUUID().toString()));
      assertEquals("open", nextEvent(stream).event());
      SseStream.Frame recovery = nextEvent(stream);
      assertEquals("recovery", recovery.event());
      assertFalse(recovery.json().getBoolean("recovered"));
      assertTrue(recovery.json().getString("message").contains("keeps no history"), recovery.data());
      Event live = campaignEvent(campaign, 1);
      server.nexus.publish(live);
      assertDelivered(stream, address, live);
      await(stream.close());
      await(http.close());
      assertEquals(404, await(io.vertx.ext.web.client.WebClient.create(vertx)
        .get(server.port(), "127.0.0.1", "/api/presence/" + campaign).send()).statusCode(),
        "no presence door without Redis");
    } finally {
      await(vertx.close());
    }
  }
}
