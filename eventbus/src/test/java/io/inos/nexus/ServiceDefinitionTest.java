package io.inos.nexus;

import io.inos.graceful.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceDefinitionTest {

  private static final ActionHandler OK = request -> Future.succeededFuture(new JsonObject());

  @Test
  void keepsItsActionsInOrder() {
    ServiceDefinition service = ServiceDefinition.builder("user").version(2).handlerTimeoutMs(500)
      .action("create_user", OK).action("get_user", OK)
      .pipeline(p -> p.disable(Pipeline.METRICS))
      .build();
    assertEquals("user", service.name());
    assertEquals(2, service.version());
    assertEquals(500, service.handlerTimeoutMs());
    assertEquals(List.of("create_user", "get_user"), List.copyOf(service.actions().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> service.actions().put("x", OK));
    assertTrue(!service.pipeline().apply(Pipeline.empty().add(Pipeline.METRICS, ctx -> null)).names()
      .contains(Pipeline.METRICS));
  }

  @Test
  void refusesNamesTheGrammarWouldRefuse() {
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("User"));
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("a".repeat(65)));
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("user").action("getUser", OK));
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("user").action("a:b", OK));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("user")
      .action("health", OK)).getMessage().contains("answered by the service host"));
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("user").version(0));
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder("user").handlerTimeoutMs(-1));
    assertThrows(NullPointerException.class, () -> ServiceDefinition.builder("user").action("get_user", null));
  }
}
