package io.inos.adapters.amqp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options' JSON form and the messages of bad values. */
class AmqpAdapterOptionsTest {

  private static JsonObject full() {
    return new JsonObject()
      .put("uri", "amqp://inos:secret@broker.example:5673/prod")
      .put("connectionName", "node-1")
      .put("heartbeatSeconds", 10)
      .put("connectTimeoutMs", 3000)
      .put("reconnectInitialDelayMs", 100)
      .put("reconnectMaxDelayMs", 5000)
      .put("requireBrokerAtStart", true)
      .put("prefetch", 50)
      .put("maxMessageBytes", 4096)
      .put("deadLetterExchange", "inos.dlx")
      .put("deadLetterExchangeType", "topic")
      .put("outboundBufferSize", 500)
      .put("stopDrainTimeoutMs", 1000)
      .put("source", "erp")
      .put("bindings", new JsonArray()
        .add(new JsonObject().put("name", "orders").put("direction", "in").put("exchange", "erp")
          .put("exchangeType", "direct").put("queue", "inos.orders").put("routingKey", "order.created")
          .put("eventType", "order:create_order:v1:requested").put("declare", false).put("durable", false)
          .put("requireJson", false).put("prefetch", 7).put("maxMessageBytes", 2048)
          .put("deadLetterExchange", "orders.dlx"))
        .add(new JsonObject().put("direction", "out").put("address", "content:create_content:v1:success")
          .put("exchange", "inos.events").put("exchangeType", "topic").put("routingKey", "content.created")));
  }

  @Test
  void theJsonFormRoundTrips() {
    AmqpAdapterOptions options = new AmqpAdapterOptions(full());
    assertEquals(full().put("bindings", full().getJsonArray("bindings")), options.toJson()
      .put("bindings", full().getJsonArray("bindings")), "adapter keys");
    // bindings: every key given comes back, with the defaults filled in
    JsonObject in = options.toJson().getJsonArray("bindings").getJsonObject(0);
    assertEquals(full().getJsonArray("bindings").getJsonObject(0), in);
    JsonObject out = options.toJson().getJsonArray("bindings").getJsonObject(1);
    assertEquals(full().getJsonArray("bindings").getJsonObject(1).copy().put("declare", true).put("durable", true)
      .put("requireJson", true), out);
    // and the whole form is stable
    assertEquals(options.toJson(), new AmqpAdapterOptions(options.toJson()).toJson());
    assertEquals(options.toJson(), new AmqpAdapterOptions(options).toJson());
  }

  @Test
  void defaults() {
    AmqpAdapterOptions options = new AmqpAdapterOptions(new JsonObject());
    assertEquals(AmqpAdapterOptions.DEFAULT_URI, options.getUri());
    assertEquals(100, options.getPrefetch());
    assertEquals(1024 * 1024, options.getMaxMessageBytes());
    assertEquals(0, options.getBindings().size());
    assertEquals(false, options.isRequireBrokerAtStart(), "an unreachable broker is waited for");
    assertEquals(options.toJson(), new AmqpAdapterOptions().toJson());
  }

  private static String refusal(JsonObject json) {
    return assertThrows(IllegalArgumentException.class, () -> new AmqpAdapterOptions(json)).getMessage();
  }

  private static JsonObject withBinding(JsonObject binding) {
    return new JsonObject().put("bindings", new JsonArray()
      .add(new JsonObject().put("direction", "out").put("address", "a").put("exchange", "x"))
      .add(binding));
  }

  @Test
  void badValuesAreRefusedNamingTheirKey() {
    assertTrue(refusal(new JsonObject().put("uri", "http://localhost")).startsWith("uri must be an amqp://"));
    assertTrue(refusal(new JsonObject().put("prefetch", 0)).startsWith("prefetch must be between 1 and 65535"));
    assertTrue(refusal(new JsonObject().put("maxMessageBytes", -1)).startsWith("maxMessageBytes must be positive"));
    assertTrue(refusal(new JsonObject().put("reconnectInitialDelayMs", 0))
      .startsWith("reconnectInitialDelayMs must be positive"));
    assertTrue(refusal(new JsonObject().put("reconnectInitialDelayMs", 5000).put("reconnectMaxDelayMs", 1000))
      .startsWith("reconnectMaxDelayMs (1000) must not be less than reconnectInitialDelayMs (5000)"));
    assertTrue(refusal(new JsonObject().put("deadLetterExchangeType", "x-delayed"))
      .startsWith("deadLetterExchangeType must be one of"));
    assertTrue(refusal(new JsonObject().put("bindings", new JsonObject())).startsWith("bindings must be an array"));
    assertTrue(refusal(new JsonObject().put("bindings", new JsonArray().add("in"))).startsWith("bindings[0] must be "
      + "an object"));

    assertEquals("bindings[1].direction must be 'in' or 'out', was 'sideways'",
      refusal(withBinding(new JsonObject().put("direction", "sideways"))));
    assertEquals("bindings[1].direction must be 'in' or 'out', and is missing",
      refusal(withBinding(new JsonObject().put("queue", "q"))));
    assertEquals("bindings[1].queue must be set for an 'in' binding",
      refusal(withBinding(new JsonObject().put("direction", "in").put("exchange", "x"))));
    assertTrue(refusal(withBinding(new JsonObject().put("direction", "out").put("exchange", "x")))
      .startsWith("bindings[1].address must be set for an 'out' binding"));
    assertTrue(refusal(withBinding(new JsonObject().put("direction", "out").put("address", "a").put("queue", "q")))
      .startsWith("bindings[1].queue belongs to 'in' bindings"));
    assertTrue(refusal(withBinding(new JsonObject().put("direction", "in").put("queue", "q")
      .put("exchangeType", "x-consistent-hash"))).startsWith("bindings[1].exchangeType must be one of"));
    assertTrue(refusal(withBinding(new JsonObject().put("direction", "in").put("queue", "q")
      .put("prefetch", 70_000))).startsWith("bindings[1].prefetch must be between 1 and 65535"));
    assertTrue(refusal(withBinding(new JsonObject().put("direction", "in").put("queue", "q")
      .put("eventType", "Not A Type"))).startsWith("bindings[1].eventType: invalid event type 'Not A Type'"));
    assertTrue(refusal(withBinding(new JsonObject().put("direction", "in").put("queue", "q").put("declare", "yes")))
      .startsWith("bindings[1]: a value has the wrong JSON type"));
  }

  @Test
  void theVerticleRefusesInconsistentOptionsBuiltInCode() {
    AmqpAdapterOptions options = new AmqpAdapterOptions()
      .addBinding(new AmqpBinding().setDirection(AmqpBinding.Direction.IN).setExchange("x"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> new AmqpAdapterVerticle(options));
    assertEquals("bindings[0].queue must be set for an 'in' binding", e.getMessage());
  }

  @Test
  void passwordsStayOutOfMessages() {
    assertEquals("amqp://inos:***@broker:5672/v", AmqpAdapterOptions.redacted("amqp://inos:secret@broker:5672/v"));
  }
}
