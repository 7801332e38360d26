package io.inos.adapters.bridge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeRulesTest {

  private final String guestId = GuestIds.newGuestId();
  private final BridgeIdentity guest = BridgeIdentity.guest(guestId);

  @Test
  void guestDefaultsPermitCampaignRequestsAndScopedReceiving() {
    BridgeRules rules = BridgeRules.guestDefaults();
    assertTrue(rules.permitsInbound("campaign:create_campaign:v1:requested", null, guest));
    assertTrue(rules.permitsInbound("campaign:update_campaign_state:v12:requested", null, guest));
    assertFalse(rules.permitsInbound("campaign:create_campaign:v1:success", null, guest));
    assertFalse(rules.permitsInbound("content:create_content:v1:requested", null, guest));
    assertFalse(rules.permitsInbound("user:" + guestId, null, guest));

    assertTrue(rules.permitsOutbound("user:" + guestId, guest));
    assertFalse(rules.permitsOutbound("user:" + GuestIds.newGuestId(), guest), "only its own user address");
    assertFalse(rules.permitsOutbound("user:" + guestId, BridgeIdentity.ANONYMOUS));
    assertTrue(rules.permitsOutbound("campaign:0", guest));
    assertTrue(rules.permitsOutbound("campaign:ovasabi_website", guest));
    assertFalse(rules.permitsOutbound("campaign:create_campaign:v1:success", guest), "a type, not a scope");
    assertTrue(rules.permitsOutbound("system", guest));
    assertFalse(rules.permitsOutbound("system:shutdown", guest));
  }

  @Test
  void denyByDefaultAndNeverAServiceInbox() {
    assertFalse(BridgeRules.denyAll().permitsInbound("campaign:create_campaign:v1:requested", null, guest));
    assertFalse(BridgeRules.denyAll().permitsOutbound("system", guest));
    BridgeRules everything = BridgeRules.fromJson(new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject()))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject())));
    assertTrue(everything.permitsInbound("anything", null, guest));
    assertTrue(everything.permitsOutbound("anything", guest));
    assertFalse(everything.permitsOutbound("campaign:create_campaign:v1:requested", guest),
      "a subscriber at a service inbox would take its requests");
  }

  @Test
  void rulesLoadFromJsonWithPlaceholderMatchAndRoles() {
    BridgeRules rules = BridgeRules.fromJson(new JsonObject()
      .put("inboundPermitteds", new JsonArray()
        .add(new JsonObject().put("address", "content:create_content:v1:requested")
          .put("match", new JsonObject().put("source", "frontend")))
        .add(new JsonObject().put("addressRegex", "admin:.*").put("requiredAuthority", "admin")))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("addressRegex", "inbox:{user_id}:.*"))));
    JsonObject fromFrontend = new JsonObject().put("source", "frontend");
    assertTrue(rules.permitsInbound("content:create_content:v1:requested", fromFrontend, guest));
    assertFalse(rules.permitsInbound("content:create_content:v1:requested", new JsonObject().put("source", "x"), guest));
    assertFalse(rules.permitsInbound("admin:reset:v1:requested", null, guest), "guests hold no role");
    assertTrue(rules.permitsInbound("admin:reset:v1:requested", null,
      new BridgeIdentity("u-1", false, Set.of("admin"))));
    assertTrue(rules.permitsOutbound("inbox:" + guestId + ":news", guest));
    assertFalse(rules.permitsOutbound("inbox:" + GuestIds.newGuestId() + ":news", guest));

    assertEquals(rules.toJson(), BridgeRules.fromJson(rules.toJson()).toJson());
    // a direction left out keeps its default
    assertTrue(BridgeRules.fromJson(new JsonObject().put("inboundPermitteds", new JsonArray()))
      .permitsOutbound("system", guest));
  }

  @Test
  void malformedRulesAreRefusedWithTheKeyNamed() {
    assertMessage("'inboundPermitteds' must be an array",
      new JsonObject().put("inboundPermitteds", "campaign:*"));
    assertMessage("'inboundPermitteds[0].adress' is not a rule key",
      new JsonObject().put("inboundPermitteds", new JsonArray().add(new JsonObject().put("adress", "x"))));
    assertMessage("'outboundPermitteds[0].addressRegex' is not a regular expression",
      new JsonObject().put("outboundPermitteds", new JsonArray().add(new JsonObject().put("addressRegex", "(x"))));
    assertMessage("'publicCampaigns[0]' must be a non-empty string without ':'",
      new JsonObject().put("publicCampaigns", new JsonArray().add("campaign:7")));
    assertMessage("'publicAdresses' is not a rules key",
      new JsonObject().put("publicAdresses", new JsonArray().add("system")));
  }

  @Test
  void theScopeComesBeforeAnyRule() {
    // a rule that would permit every address cannot widen the scope
    BridgeRules rules = BridgeRules.fromJson(new JsonObject()
      .put("outboundPermitteds", new JsonArray().add(new JsonObject()))
      .put("publicCampaigns", new JsonArray().add("0").add("demo_*")));
    BridgeIdentity alice = BridgeIdentity.user("alice", Set.of(), Set.of("c1"), 0);
    assertTrue(rules.permitsOutbound("user:alice", alice));
    assertTrue(rules.permitsOutbound("user:alice:inbox", alice), "its own sub-addresses, when a rule permits them");
    assertFalse(rules.permitsOutbound("user:bob", alice));
    assertFalse(rules.permitsOutbound("user:alice2", alice), "a prefix of another user's id is another user");
    assertFalse(rules.permitsOutbound("user:", alice));
    assertTrue(rules.permitsOutbound("campaign:c1", alice));
    assertTrue(rules.permitsOutbound("campaign:0", alice));
    assertTrue(rules.permitsOutbound("campaign:demo_1", alice));
    assertFalse(rules.permitsOutbound("campaign:c2", alice));
    assertFalse(rules.permitsOutbound("campaign:c1", guest), "guests joined nothing");
    assertTrue(rules.permitsOutbound("campaign:demo_x", guest));
    assertEquals("receiving from 'campaign:c2' is not permitted: user 'alice' did not join campaign 'c2' (the token's "
      + "'campaigns' claim)", rules.checkOutbound("campaign:c2", alice).reason());
    assertTrue(rules.checkOutbound("campaign:c1", guest).reason().contains("is not public"));
    // by default every campaign is public, as in the original
    assertTrue(BridgeRules.defaults().permitsOutbound("campaign:anything", guest));
    assertFalse(BridgeRules.defaults().permitsOutbound("campaign:create_campaign:v1:requested", guest));
  }

  @Test
  void clientAddressesAreMatchedLiterallyAndConfiguredRegexesCompileOnce() {
    BridgeRules rules = BridgeRules.fromJson(new JsonObject()
      .put("outboundPermitteds", new JsonArray()
        .add(new JsonObject().put("addressRegex", "feed:[a-z]+"))
        .add(new JsonObject().put("addressRegex", "inbox:{user_id}:[a-z]+")))
      .put("publicAddresses", new JsonArray().add("news.*").add("system")));
    BridgeIdentity alice = BridgeIdentity.user("alice", Set.of(), Set.of(), 0);
    assertTrue(rules.permitsOutbound("feed:sports", alice));
    for (String injected : new String[] {"feed:.*", "feed:[a-z]+", "(a+)+$", "user:.*", "inbox:.*:news",
      "feed:sports|admin:x", "feed:sports\n"}) {
      assertFalse(rules.permitsOutbound(injected, alice), injected);
    }
    // a public pattern: '*' is the only wildcard, the rest is literal
    assertTrue(rules.permitsOutbound("news.sports", alice));
    assertTrue(rules.permitsOutbound("news.", alice));
    assertFalse(rules.permitsOutbound("newsXsports", alice), "'.' is a dot, not any character");
    // the user id is compared as it is, whatever characters it has
    BridgeIdentity dotStar = BridgeIdentity.user("a.*", Set.of(), Set.of(), 0);
    assertTrue(rules.permitsOutbound("inbox:a.*:news", dotStar));
    assertFalse(rules.permitsOutbound("inbox:abc:news", dotStar));
    assertFalse(rules.permitsOutbound("inbox:alice:news", dotStar));
    // inputs past the bound are never matched
    assertFalse(rules.permitsOutbound("feed:" + "a".repeat(BridgeRules.MAX_MATCHED_LENGTH), alice));
  }

  @Test
  void anOutboundMatchFiltersEachMessageOncePerDelivery() {
    BridgeRules rules = BridgeRules.fromJson(new JsonObject().put("outboundPermitteds", new JsonArray()
      .add(new JsonObject().put("address", "alerts").put("match", new JsonObject().put("level", "high")))));
    BridgeRules.Check check = rules.checkOutbound("alerts", guest);
    assertTrue(check.permitted());
    assertTrue(check.filtered());
    assertTrue(check.accepts(Delivery.of("alerts", new JsonObject().put("level", "high").put("x", 1), null)));
    assertFalse(check.accepts(Delivery.of("alerts", new JsonObject().put("level", "low"), null)));
    assertFalse(check.accepts(Delivery.of("alerts", "high", null)), "a body that is no object cannot match");
  }

  @Test
  void guestIdsHaveTheOriginalFormat() {
    assertTrue(GuestIds.isGuestId(guestId));
    assertEquals(38, guestId.length());
    assertFalse(GuestIds.isGuestId("guest_123"));
    assertFalse(GuestIds.isGuestId("guest_" + "G".repeat(32)));
    assertThrows(IllegalArgumentException.class, () -> BridgeIdentity.guest("admin"));
  }

  private static void assertMessage(String part, JsonObject json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BridgeRules.fromJson(json));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
