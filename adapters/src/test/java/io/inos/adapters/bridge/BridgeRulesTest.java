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
    assertMessage("outbound rules are checked once per subscription",
      new JsonObject().put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", "x")
        .put("match", new JsonObject().put("a", 1)))));
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
