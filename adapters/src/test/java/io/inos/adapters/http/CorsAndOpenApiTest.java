package io.inos.adapters.http;

import io.inos.adapters.bridge.BridgeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS from options in front of the HTTP doors, and the OpenAPI document against the running doors. */
@ExtendWith(VertxExtension.class)
class CorsAndOpenApiTest {

  private static final String APP = "https://app.example.com";

  private SecureHttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = SecureHttpServer.start(vertx, new BridgeOptions(), new EventStreamOptions(),
      new CorsOptions().setAllowedOrigins(List.of(APP)));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  private HttpResponse<Buffer> preflight(String origin) throws Exception {
    return await(client.request(HttpMethod.OPTIONS, server.port(), "127.0.0.1", "/api/events")
      .putHeader("Origin", origin)
      .putHeader("Access-Control-Request-Method", "POST")
      .putHeader("Access-Control-Request-Headers", "authorization,x-correlation-id,content-type")
      .send());
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredWithTheConfiguredPolicy() throws Exception {
    HttpResponse<Buffer> response = preflight(APP);
    assertEquals(204, response.statusCode(), response.bodyAsString());
    assertEquals(APP, response.getHeader("Access-Control-Allow-Origin"));
    String headers = response.getHeader("Access-Control-Allow-Headers").toLowerCase(Locale.ROOT);
    assertTrue(headers.contains("authorization") && headers.contains("x-correlation-id"), headers);
    assertTrue(response.getHeader("Access-Control-Allow-Methods").contains("POST"));
    // and the real call exposes the correlation id to the page
    HttpResponse<Buffer> call = await(client.post(server.port(), "127.0.0.1", "/api/campaign_ops")
      .putHeader("Origin", APP).putHeader("Content-Type", "application/json")
      .sendJsonObject(new JsonObject().put("action", "create_campaign")));
    assertEquals(200, call.statusCode(), call.bodyAsString());
    assertEquals(APP, call.getHeader("Access-Control-Allow-Origin"));
    assertTrue(call.getHeader("Access-Control-Expose-Headers").toLowerCase(Locale.ROOT).contains("x-correlation-id"));
  }

  @Test
  void aPreflightFromAnotherOriginIsRefused() throws Exception {
    HttpResponse<Buffer> response = preflight("https://evil.example.com");
    assertEquals(403, response.statusCode());
    assertNull(response.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void corsOptionsRoundTripAndRefuseBadOrigins() {
    CorsOptions options = new CorsOptions().setAllowedOrigins(List.of(APP, "http://localhost:3000"));
    assertEquals(options.toJson(), new CorsOptions(options.toJson()).toJson());
    assertTrue(new CorsOptions().getAllowedOrigins().isEmpty(), "same-origin only by default");
    assertNull(Cors.create(new CorsOptions()).handler());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> new CorsOptions().setAllowedOrigins(List.of("https://app.example.com/path")));
    assertTrue(e.getMessage().contains("without a path"), e.getMessage());
  }

  @Test
  void everyDocumentedPathAnswersOnTheRunningDoors() throws Exception {
    HttpResponse<Buffer> served = await(client.get(server.port(), "127.0.0.1", "/api/openapi.json").send());
    assertEquals(200, served.statusCode());
    JsonObject doc = served.bodyAsJsonObject();
    assertEquals(OpenApiDoc.document(), doc);
    assertTrue(doc.getString("openapi").startsWith("3.1"), doc.getString("openapi"));
    assertTrue(doc.getJsonObject("components").getJsonObject("schemas").containsKey("ErrorBody"));
    assertTrue(doc.getJsonObject("components").getJsonObject("schemas").containsKey("Envelope"));
    Set<String> servedByServer = new TreeSet<>();
    for (String path : doc.getJsonObject("paths").fieldNames()) {
      JsonObject item = doc.getJsonObject("paths").getJsonObject(path);
      if ("server".equals(item.getString("x-inos-served-by"))) {
        // /health, /ready and /metrics belong to the INOS server (verticles), not to these doors
        servedByServer.add(path);
        continue;
      }
      for (String method : item.fieldNames()) {
        if (method.startsWith("x-")) {
          continue;
        }
        String concrete = path.replace("{service}", "campaign");
        var request = client.request(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), server.port(), "127.0.0.1",
          concrete).putHeader("Content-Type", "application/json");
        HttpResponse<Buffer> response = method.equals("post")
          ? await(request.sendBuffer(Buffer.buffer("{}"))) : await(request.send());
        assertNotEquals(404, response.statusCode(), method + " " + concrete + " is documented but not served");
        assertTrue(response.statusCode() < 500, method + " " + concrete + " answered " + response.statusCode());
      }
    }
    assertEquals(Set.of("/health", "/metrics", "/ready"), servedByServer);
  }
}
