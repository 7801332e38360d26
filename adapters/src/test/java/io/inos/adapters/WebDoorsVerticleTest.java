package io.inos.adapters;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.http.RestDoorOptions;
import io.inos.adapters.sockjs.BrowserBridgeOptions;
import io.inos.adapters.ws.GatewayDoorOptions;
import io.inos.nexus.Nexus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class WebDoorsVerticleTest {

  @Test
  void deploysOnItsOwnServerAndServesRest(Vertx vertx) throws Exception {
    Nexus nexus = Nexus.create(vertx);
    await(TestCampaign.serve(nexus));
    WebDoorsVerticle verticle = new WebDoorsVerticle(nexus, new WebDoorsOptions().setHost("127.0.0.1").setPort(0));
    await(vertx.deployVerticle(verticle));
    assertTrue(verticle.actualPort() > 0);
    WebClient web = WebClient.create(vertx);
    var response = await(web.post(verticle.actualPort(), "127.0.0.1", "/api/campaign_ops")
      .sendJsonObject(new JsonObject().put("action", "create_campaign")));
    assertEquals(200, response.statusCode());
    web.close();
  }

  @Test
  void serversOfEveryInstanceShareOnePortAndOneBridge(Vertx vertx) throws Exception {
    Nexus nexus = Nexus.create(vertx);
    await(TestCampaign.serve(nexus));
    WebDoorsVerticle verticle = new WebDoorsVerticle(nexus, new WebDoorsOptions().setHost("127.0.0.1").setPort(0)
      .setInstances(3));
    await(vertx.deployVerticle(verticle));
    assertEquals(List.of(verticle.actualPort(), verticle.actualPort(), verticle.actualPort()), verticle.serverPorts());
    WebClient web = WebClient.create(vertx);
    for (int i = 0; i < 6; i++) {
      var response = await(web.post(verticle.actualPort(), "127.0.0.1", "/api/campaign_ops")
        .sendJsonObject(new JsonObject().put("action", "create_campaign")));
      assertEquals(200, response.statusCode(), response.bodyAsString());
    }
    web.close();
    assertEquals(0, verticle.doors().bridge().addresses(), "one bridge, no subscription left behind");
  }

  @Test
  void aPortInUseIsAClearStartUpError(Vertx vertx) throws Exception {
    var taken = await(vertx.createHttpServer().requestHandler(req -> req.response().end()).listen(0, "127.0.0.1"));
    WebDoorsVerticle verticle = new WebDoorsVerticle(new WebDoorsOptions().setHost("127.0.0.1")
      .setPort(taken.actualPort()));
    Exception e = assertThrows(Exception.class, () -> await(vertx.deployVerticle(verticle)));
    assertTrue(String.valueOf(e.getCause().getMessage()).contains("choose another 'port'"), e.toString());
  }

  @Test
  void optionsSurviveTheirJsonForm() {
    WebDoorsOptions options = new WebDoorsOptions().setPort(9090).setGrpcEnabled(false)
      .setRest(new RestDoorOptions().setBodyLimit(10).setApiPrefix("/v2"))
      .setSockJS(new BrowserBridgeOptions().setPath("/bus").setPingTimeoutMs(1234))
      .setBridge(new BridgeOptions().setRules(BridgeRules.denyAll()).setMaxInboundPerSecond(7))
      .setGateway(new GatewayDoorOptions().setPath("/gw")).setInstances(3).setRestSecured(false);
    JsonObject json = options.toJson();
    assertEquals(json, new WebDoorsOptions(json).toJson());
    assertEquals(json, new WebDoorsOptions(options).toJson());
    assertThrows(IllegalArgumentException.class, () -> new WebDoorsOptions(new JsonObject().put("port", 70000)));
    assertThrows(IllegalArgumentException.class, () -> new WebDoorsOptions(new JsonObject()
      .put("bridge", new JsonObject().put("rules", new JsonObject().put("inboundPermitteds", "x")))));
    assertThrows(IllegalArgumentException.class, () -> new WebDoorsOptions(new JsonObject().put("instances", -1)));
  }
}
