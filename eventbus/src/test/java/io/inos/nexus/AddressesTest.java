package io.inos.nexus;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AddressesTest {

  @Test
  void aTypeIsTheAddressOfItsSubscribers() {
    assertEquals("user:get_user:v1:success", Addresses.of(EventType.parse("user:get_user:v1:success")));
  }

  @Test
  void clientScopeFollowsTheOriginalRouting() {
    assertEquals("user:u-1", Addresses.scopeOf(Event.builder("user:get_user:v1:success")
      .globalContext("user_id", "u-1").globalContext("campaign_id", "c-1").build()));
    assertEquals("campaign:c-1", Addresses.scopeOf(Event.builder("campaign:switch:required")
      .globalContext("campaign_id", "c-1").build()));
    assertNull(Addresses.scopeOf(Event.builder("echo").build()));
    assertNull(Addresses.scopeOf(Event.builder("user:get_user:v1:requested").globalContext("user_id", "u-1").build()),
      "requests are never delivered to clients");
  }
}
