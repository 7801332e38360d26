package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.TokenOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.sockjs.BrowserBridgeIdentityTest.assertErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge and its SockJS door deployed into a plain Vert.x application, with none of the rest of INOS. */
@ExtendWith(VertxExtension.class)
class BrowserBridgeVerticleTest {

  @Test
  void deploysIntoAPlainVertxAndBridgesItsEventBus(Vertx vertx) throws Exception {
    BrowserBridgeVerticleOptions options = new BrowserBridgeVerticleOptions(new JsonObject()
      .put("host", "127.0.0.1").put("port", 0)
      .put("bridge", new JsonObject()
        .put("rules", new JsonObject().put("publicAddresses", new JsonArray().add("news")))
        .put("jwt", new JsonObject().put("key", "embedding-test-secret-of-32-characters"))));
    BrowserBridgeVerticle verticle = new BrowserBridgeVerticle(options);
    String deployment = await(vertx.deployVerticle(verticle));
    assertTrue(verticle.actualPort() > 0);

    BridgeClient client = BridgeClient.connect(vertx, verticle.actualPort());
    String token = verticle.bridge().tokenIssuer().issue("alice", List.of(), List.of());
    client.frame("register", "news", BridgeClient.bearer(token));
    client.frame("register", "user:alice", null);
    client.frame("register", "user:bob", null);
    assertErr(client.next(), "access_denied", "another user's address");
    // the application's own event bus, no Nexus event needed
    vertx.eventBus().publish("news", new JsonObject().put("headline", "embedded"));
    assertEquals("embedded", client.nextAt("news").getJsonObject("body").getString("headline"));
    assertEquals(2, verticle.bridge().stats().subscriptions());

    // undeploying ends the bridge: its consumers and its sockets
    await(vertx.undeploy(deployment));
    client.closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(0, verticle.bridge().addresses());
  }

  @Test
  void optionsSurviveTheirJsonFormAndBadOnesNameTheirKey() {
    BrowserBridgeVerticleOptions options = new BrowserBridgeVerticleOptions().setPort(9000)
      .setBridge(new BrowserBridgeOptions().setPath("/bus").setMaxFrameBytes(1024).setBridgeOptions(new BridgeOptions()
        .setMaxInboundPerSecond(7).setTokens(new TokenOptions().setKey("k".repeat(32)).setIssuer("inos"))));
    JsonObject json = options.toJson();
    assertEquals(json, new BrowserBridgeVerticleOptions(json).toJson());
    assertEquals(7, json.getJsonObject("bridge").getInteger("maxInboundPerSecond"), "the bridge's keys sit beside the door's");
    assertEquals("/bus", json.getJsonObject("bridge").getString("path"));

    IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () ->
      new BrowserBridgeOptions(new JsonObject().put("jwt", new JsonObject().put("key", "short"))));
    assertTrue(shortKey.getMessage().contains("jwt.key"), shortKey.getMessage());
    IllegalArgumentException policy = assertThrows(IllegalArgumentException.class, () ->
      new BridgeOptions(new JsonObject().put("slowConsumerPolicy", "IGNORE")));
    assertTrue(policy.getMessage().contains("slowConsumerPolicy"), policy.getMessage());
    IllegalArgumentException rules = assertThrows(IllegalArgumentException.class, () ->
      new BridgeOptions(new JsonObject().put("rules", new JsonObject().put("inboundPermitteds", new JsonArray()
        .add(new JsonObject().put("addressRegex", "(unclosed"))))));
    assertTrue(rules.getMessage().contains("inboundPermitteds[0].addressRegex"), rules.getMessage());
  }

  @Test
  void aPortInUseIsAClearStartUpError(Vertx vertx) throws Exception {
    var taken = await(vertx.createHttpServer().requestHandler(req -> req.response().end()).listen(0, "127.0.0.1"));
    BrowserBridgeVerticle verticle = new BrowserBridgeVerticle(new BrowserBridgeVerticleOptions()
      .setHost("127.0.0.1").setPort(taken.actualPort()));
    Exception e = assertThrows(Exception.class, () -> await(vertx.deployVerticle(verticle)));
    assertTrue(String.valueOf(e.getCause().getMessage()).contains("choose another 'port'"), e.toString());
  }
}
