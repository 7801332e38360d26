package io.inos.adapters.mqtt;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static io.inos.adapters.DoorsServer.await;

/** The MQTT adapter deployed alone into a plain Vert.x instance, on port 0, with test rules. */
final class MqttTestServer {

  /**
   * Devices may publish and receive {@code sensors/…} and {@code content/{action}/v1/completed}; {@code secret/…}
   * only users with the role {@code admin} may receive; nothing else.
   */
  static JsonObject rules() {
    return new JsonObject()
      .put("inboundPermitteds", new JsonArray()
        .add(new JsonObject().put("addressRegex", "sensors:.*"))
        .add(new JsonObject().put("addressRegex", "content:[a-z_]+:v1:completed")))
      .put("outboundPermitteds", new JsonArray()
        .add(new JsonObject().put("addressRegex", "sensors:.*"))
        .add(new JsonObject().put("addressRegex", "content:[a-z_]+:v1:completed"))
        .add(new JsonObject().put("addressRegex", "secret:.*").put("requiredRole", "admin")))
      .put("publicAddresses", new JsonArray().add("system"));
  }

  final MqttAdapterVerticle verticle;
  final int port;
  private final Vertx vertx;
  private final String deployment;

  private MqttTestServer(Vertx vertx, MqttAdapterVerticle verticle, String deployment) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.port = verticle.actualPort();
    this.deployment = deployment;
  }

  static MqttTestServer start(Vertx vertx) throws Exception {
    return start(vertx, new MqttAdapterOptions().setHost("127.0.0.1").setPort(0)
      .setBridge(new BridgeOptions().setRules(rules())));
  }

  static MqttTestServer start(Vertx vertx, MqttAdapterOptions options) throws Exception {
    MqttAdapterVerticle verticle = new MqttAdapterVerticle(options);
    String deployment = await(vertx.deployVerticle(verticle));
    return new MqttTestServer(vertx, verticle, deployment);
  }

  /** Undeploys the adapter, as a node that stops. */
  void stop() throws Exception {
    await(vertx.undeploy(deployment));
  }

  MqttStats stats() {
    return verticle.stats();
  }

  Bridge bridge() {
    return verticle.bridge();
  }

  String token(String user, String... roles) {
    return bridge().tokenIssuer().issue(user, List.of(roles), List.of());
  }
}
