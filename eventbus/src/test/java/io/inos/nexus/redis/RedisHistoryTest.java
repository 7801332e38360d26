package io.inos.nexus.redis;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtensionOptions.HistoryScope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.inos.nexus.redis.RedisTesting.await;
import static io.inos.nexus.redis.RedisTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** History against the machine's Redis: what the Nexus publishes is appended, and recovered in order. */
class RedisHistoryTest {

  private Vertx vertx;
  private Nexus nexus;
  private RedisExtension redis;
  private String prefix;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    nexus = Nexus.create(vertx);
    prefix = RedisTesting.prefix();
    redis = RedisExtension.create(nexus, new RedisExtensionOptions().setUrl(RedisTesting.SHARED_URL)
      .setKeyPrefix(prefix).addHistoryScope(new HistoryScope("campaign:*", 1000, 0))
      .addHistoryScope(HistoryScope.ofLength("user:*", 20)).addHistoryScope(HistoryScope.ofLength("trimmed", 10)));
    assertTrue(await(redis.start()).isUp());
  }

  @AfterEach
  void tearDown() {
    await(redis.close());
    RedisTesting.deleteKeys(vertx, RedisTesting.SHARED_URL, prefix);
    await(vertx.close());
  }

  private static Event campaignEvent(String campaign, int n) {
    return Event.builder("content:create_content:v1:success").source("backend").globalContext("campaign_id", campaign)
      .data(new JsonObject().put("n", n)).build();
  }

  @Test
  void eventsPublishedOnAScopeAreRecoveredInOrderAfterAPosition() {
    String scope = "campaign:c1";
    HistoryPosition start = await(redis.history().position(scope));
    assertEquals("0-0", start.offset(), "an empty history starts before its first entry");
    List<Event> published = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Event e = campaignEvent("c1", i);
      published.add(e);
      nexus.publish(e);
    }
    Recovery all = eventually(vertx, () -> redis.history().recover(scope, start), r -> r.events().size() == 5);
    assertTrue(all.recovered());
    assertEquals(ids(published), all.events().stream().map(en -> en.event().id()).collect(Collectors.toList()));
    assertEquals(new JsonObject().put("n", 3), all.events().get(3).event().data(), "the whole event is kept");
    assertEquals(all.events().get(4).position(), all.position(), "the position is where the live flow goes on");

    // from the third event's position: the two after it
    Recovery tail = await(redis.history().recover(scope, all.events().get(2).position()));
    assertTrue(tail.recovered());
    assertEquals(ids(published.subList(3, 5)), tail.events().stream().map(en -> en.event().id()).toList());
    // by event id, for clients that only know the last event they saw
    Recovery byId = await(redis.history().recoverAfterEvent(scope, published.get(1).id()));
    assertTrue(byId.recovered());
    assertEquals(ids(published.subList(2, 5)), byId.events().stream().map(en -> en.event().id()).toList());
    // caught up: recovered, nothing to send
    Recovery none = await(redis.history().recover(scope, all.position()));
    assertTrue(none.recovered());
    assertTrue(none.events().isEmpty());
  }

  @Test
  void aUsersEventsGoToItsUserScopeAndUncoveredAddressesKeepNothing() {
    Event forUser = Event.builder("content:create_content:v1:success").globalContext("user_id", "u7")
      .globalContext("campaign_id", "c9").build();
    nexus.publish(forUser);
    Event other = Event.builder("content:create_content:v1:success").build(); // no scope: type address only
    nexus.publish(other);
    Recovery r = eventually(vertx, () -> redis.history().recover("user:u7", new HistoryPosition("0-0",
      await(redis.history().position("user:u7")).epoch())), rec -> rec.events().size() == 1);
    assertEquals(forUser.id(), r.events().get(0).event().id());
    assertFalse(redis.history().covers("content:create_content:v1:success"));
    assertTrue(redis.history().covers("campaign:anything"));
    // the event was delivered to user:u7, not campaign:c9 (the Nexus's routing), so that history stays empty
    assertEquals("0-0", await(redis.history().position("campaign:c9")).offset());
  }

  @Test
  void aTrimmedOrForeignPositionIsNotRecovered() {
    List<Future<HistoryPosition>> appends = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Event e = campaignEvent("x", i);
      events.add(e);
      appends.add(redis.history().append("trimmed", e));
    }
    List<HistoryPosition> positions = appends.stream().map(RedisTesting::await).toList();
    // the first entries are gone (MAXLEN ~ 10 trims whole nodes of the stream)
    Recovery old = await(redis.history().recover("trimmed", positions.get(0)));
    assertFalse(old.recovered());
    assertTrue(old.events().isEmpty());
    assertEquals(positions.get(399), old.position(), "the client is told where to go on from");
    // the last ones are still there
    Recovery recent = await(redis.history().recover("trimmed", positions.get(394)));
    assertTrue(recent.recovered());
    assertEquals(ids(events.subList(395, 400)), recent.events().stream().map(en -> en.event().id()).toList());
    // a trimmed event id, and an unknown one
    assertFalse(await(redis.history().recoverAfterEvent("trimmed", events.get(0).id())).recovered());
    assertFalse(await(redis.history().recoverAfterEvent("trimmed", "no-such-id")).recovered());
    // a position of another epoch (the stream was lost and made again meanwhile)
    assertFalse(await(redis.history().recover("trimmed", new HistoryPosition(positions.get(399).offset(),
      "another"))).recovered());
    // no position at all: not recovered, go on live
    Recovery fresh = await(redis.history().recover("trimmed", null));
    assertFalse(fresh.recovered());
    assertEquals(positions.get(399), fresh.position());
    // a scope that keeps no history
    assertThrows(IllegalArgumentException.class, () -> await(redis.history().append("nowhere", events.get(0))));
  }

  @Test
  void aDuplicateAppendIsRecoveredOnce() {
    Event e = campaignEvent("d", 1);
    HistoryPosition first = await(redis.history().append("campaign:d", e));
    await(redis.history().append("campaign:d", e)); // as a batch resent after a broken connection would
    Event next = campaignEvent("d", 2);
    await(redis.history().append("campaign:d", next));
    Recovery r = await(redis.history().recover("campaign:d", new HistoryPosition("0-0", first.epoch())));
    assertTrue(r.recovered());
    assertEquals(List.of(e.id(), next.id()), r.events().stream().map(en -> en.event().id()).toList());
  }

  private static List<String> ids(List<Event> events) {
    return events.stream().map(Event::id).collect(Collectors.toList());
  }
}
