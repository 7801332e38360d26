package io.inos.adapters.http;

import io.inos.adapters.TestCampaign;
import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.nexus.Nexus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;

import static io.inos.adapters.DoorsServer.await;

/**
 * A real server on a free port with the HTTP doors on one shared bridge, mounted the way WebDoors will: CORS first,
 * then REST (secure), SSE and the OpenAPI document; and the test campaign service on the Nexus.
 */
final class SecureHttpServer {

  static final String SECRET = "a-test-secret-that-is-at-least-32-characters";
  /** The feed that editors may publish and everyone may stream. */
  static final String FEED = "feed:post_news:v1:completed";
  /** A feed nobody may stream (no outbound rule). */
  static final String SECRET_FEED = "audit:record_entry:v1:completed";
  static final JsonObject RULES = new JsonObject()
    .put("inboundPermitteds", List.of(
      new JsonObject().put("addressRegex", "campaign:[a-z][a-z0-9_]*:v[0-9]+:requested"),
      new JsonObject().put("addressRegex", "feed:[a-z_]+:v1:completed").put("requiredRole", "editor")))
    .put("outboundPermitteds", List.of(new JsonObject().put("addressRegex", "feed:[a-z_]+:v1:completed")))
    .put("publicAddresses", List.of("system"));

  final Nexus nexus;
  final Bridge bridge;
  final HttpServer server;

  private SecureHttpServer(Nexus nexus, Bridge bridge, HttpServer server) {
    this.nexus = nexus;
    this.bridge = bridge;
    this.server = server;
  }

  static SecureHttpServer start(Vertx vertx, BridgeOptions bridgeOptions, EventStreamOptions streamOptions,
                                CorsOptions cors) throws Exception {
    Nexus nexus = Nexus.create(vertx);
    await(TestCampaign.serve(nexus));
    Bridge bridge = Bridge.create(vertx, nexus, bridgeOptions.setRules(RULES)
      .setTokens(new TokenOptions().setKey(SECRET)));
    RestDoorOptions rest = new RestDoorOptions().setRequestTimeoutMs(1500);
    Router router = Router.router(vertx);
    Cors.create(cors).mount(router);
    RestDoor.create(bridge, rest).mount(router);
    EventStream.create(bridge, streamOptions).mount(router);
    OpenApiDoc.create(rest).mount(router);
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return new SecureHttpServer(nexus, bridge, server);
  }

  static SecureHttpServer start(Vertx vertx) throws Exception {
    return start(vertx, new BridgeOptions(), new EventStreamOptions(), new CorsOptions());
  }

  int port() {
    return server.actualPort();
  }

  String token(String user, String... roles) {
    return bridge.tokenIssuer().issue(user, List.of(roles), List.of());
  }

  String expiredToken(String user) {
    return bridge.tokenIssuer().issue(new JsonObject().put("sub", user)
      .put("exp", System.currentTimeMillis() / 1000 - 10));
  }
}
