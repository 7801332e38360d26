package io.inos.server;

import io.inos.testing.CommandLineClient;
import io.inos.testing.TestDatabases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.inos.server.InosServerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device service of the assembled server ({@code device:register_device} and friends, here over
 * {@code POST /api/device_ops} with bearer tokens), and what it does to devices on the MQTT port: a registered device
 * logs in with its one-time secret, and disabling it ends its live connections at once (DISCONNECT 0x98 in MQTT 5,
 * which mosquitto_sub reports, a close in 3.1.1) and refuses its next CONNECT.
 */
class InosServerDeviceServiceTest {

  private static final String ADMIN = "admin-" + UUID.randomUUID();

  private InosServerHarness harness;
  private InosServer server;

  @BeforeEach
  void start() {
    harness = new InosServerHarness();
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray()
        .add(new JsonObject().put("addressRegex", "device:[a-z_]+:v1:requested")))
      .encode();
    server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", rules, "INOS_DEVICE_ADMINS", ADMIN));
    await(server.database().ready());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  /** {@code POST /api/device_ops} as {@code userId} (a bearer token of the server's issuer), or as a guest. */
  private HttpResponse<Buffer> deviceOps(String userId, JsonObject body) {
    var request = harness.web.post(server.httpPort(), "127.0.0.1", "/api/device_ops");
    if (userId != null) {
      request.bearerTokenAuthentication(server.bridge().tokenIssuer().issue(userId, List.of(), List.of()));
    }
    return await(request.sendJsonObject(body));
  }

  private static JsonObject data(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("payload").getJsonObject("data");
  }

  private JsonObject register(String owner, String username) {
    HttpResponse<Buffer> response = deviceOps(owner, new JsonObject().put("action", "register_device")
      .put("username", username));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return data(response);
  }

  @Test
  void aDisabledDeviceIsThrownOutAtOnceAndRefusedUntilEnabled() throws Exception {
    String alice = "alice-" + UUID.randomUUID();
    String name = "sensor-" + UUID.randomUUID();
    JsonObject registered = register(alice, name);
    String secret = registered.getString("secret");
    assertEquals(registered.getString("device_id"), registered.getJsonObject("device").getString("id"));
    assertEquals(alice, registered.getJsonObject("device").getString("owner_id"));
    assertEquals("device_" + name, registered.getJsonObject("device").getString("user_id"));
    assertTrue(registered.getJsonObject("device").getBoolean("enabled"));

    // the device is online three times: MQTT 5 and 3.1.1 on bare sockets, and mosquitto_sub
    int port = server.mqttPort();
    try (RawMqttClient v5 = RawMqttClient.connect(port, 5, name, secret);
         RawMqttClient v311 = RawMqttClient.connect(port, 4, name, secret);
         CommandLineClient sub = CommandLineClient.follow("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1",
           "-p", String.valueOf(port), "-V", "mqttv5", "-u", name, "-P", secret, "-t", "user/device_" + name, "-d")) {
      assertEquals(0x00, v5.returnCode(), "the secret logs in");
      assertEquals(0x00, v311.returnCode());
      sub.awaitLine("SUBACK"); // its own user scope, granted

      // someone else may not disable it
      HttpResponse<Buffer> refused = deviceOps("mallory-" + UUID.randomUUID(),
        new JsonObject().put("action", "disable_device").put("username", name));
      assertEquals(403, refused.statusCode(), refused.bodyAsString());

      // its owner may: every live connection ends at once
      HttpResponse<Buffer> disabled = deviceOps(alice, new JsonObject().put("action", "disable_device")
        .put("device_id", registered.getString("device_id")));
      assertEquals(200, disabled.statusCode(), disabled.bodyAsString());
      assertFalse(data(disabled).getJsonObject("device").getBoolean("enabled"));
      assertEquals(0x98, v5.awaitEnd(), "MQTT 5: DISCONNECT 0x98 Administrative action");
      assertEquals(RawMqttClient.CLOSED, v311.awaitEnd(), "MQTT 3.1.1: closed");
      sub.awaitLine("Received DISCONNECT (152)"); // mosquitto_sub's words for 0x98
    }
    assertEquals(0x87, RawMqttClient.connack(port, 5, name, secret), "MQTT 5: not authorized");
    assertEquals(0x05, RawMqttClient.connack(port, 4, name, secret), "MQTT 3.1.1: not authorized");

    HttpResponse<Buffer> enabled = deviceOps(alice, new JsonObject().put("action", "enable_device")
      .put("username", name));
    assertEquals(200, enabled.statusCode(), enabled.bodyAsString());
    assertEquals(0x00, RawMqttClient.connack(port, 4, name, secret), "enabled again");
  }

  @Test
  void ownersListTheirOwnDevicesAndAdminsManageEveryone() throws Exception {
    String alice = "alice-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    String first = "meter-" + UUID.randomUUID();
    String second = "meter-" + UUID.randomUUID();
    register(alice, first);
    register(alice, second);
    String bobs = "lamp-" + UUID.randomUUID();
    register(bob, bobs);

    JsonObject mine = data(deviceOps(alice, new JsonObject().put("action", "list_devices")));
    assertEquals(2, mine.getLong("total_count"));
    assertEquals(List.of(second, first), mine.getJsonArray("devices").stream()
      .map(d -> ((JsonObject) d).getString("username")).toList(), "newest first");
    assertTrue(mine.getJsonArray("devices").stream().noneMatch(d -> ((JsonObject) d).containsKey("secret")));
    assertEquals(403, deviceOps(bob, new JsonObject().put("action", "list_devices").put("owner_id", alice))
      .statusCode(), "bob may not list alice's devices");
    assertEquals(2, data(deviceOps(ADMIN, new JsonObject().put("action", "list_devices").put("owner_id", alice)))
      .getLong("total_count"), "an admin may");
    assertTrue(data(deviceOps(ADMIN, new JsonObject().put("action", "list_devices").put("all", true)))
      .getLong("total_count") >= 3);

    // an admin disables bob's device; bob may not disable alice's
    assertEquals(200, deviceOps(ADMIN, new JsonObject().put("action", "disable_device").put("username", bobs))
      .statusCode());
    assertEquals(403, deviceOps(bob, new JsonObject().put("action", "disable_device").put("username", first))
      .statusCode());
    assertEquals(404, deviceOps(bob, new JsonObject().put("action", "disable_device")
      .put("username", "nobody-" + UUID.randomUUID())).statusCode());

    // only an admin gives a device roles, campaigns or another user's identity
    JsonObject withRoles = new JsonObject().put("action", "register_device").put("username", "op-" + UUID.randomUUID())
      .put("roles", new JsonArray().add("operator"));
    HttpResponse<Buffer> refused = deviceOps(alice, withRoles);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals(403, deviceOps(alice, new JsonObject().put("action", "register_device")
      .put("username", "as-bob-" + UUID.randomUUID()).put("user_id", bob)).statusCode());
    assertEquals(200, deviceOps(alice, new JsonObject().put("action", "register_device")
      .put("username", "as-me-" + UUID.randomUUID()).put("user_id", alice)).statusCode(), "acting as its owner");
    HttpResponse<Buffer> byAdmin = deviceOps(ADMIN, withRoles.copy().put("owner_id", alice));
    assertEquals(200, byAdmin.statusCode(), byAdmin.bodyAsString());
    assertEquals(new JsonArray().add("operator"), data(byAdmin).getJsonObject("device").getJsonArray("roles"));
    assertEquals(alice, data(byAdmin).getJsonObject("device").getString("owner_id"));

    // guests own nothing; a user name is taken once
    assertEquals(401, deviceOps(null, new JsonObject().put("action", "register_device")
      .put("username", "guest-device-" + UUID.randomUUID())).statusCode());
    assertEquals(409, deviceOps(bob, new JsonObject().put("action", "register_device").put("username", first))
      .statusCode());
  }

  @Test
  void theSecretIsAnsweredOnceAndNeverReachesTheLedger() {
    String alice = "alice-" + UUID.randomUUID();
    String name = "cam-" + UUID.randomUUID();
    String correlationId = InosServerHarness.newCorrelationId();
    HttpResponse<Buffer> response = deviceOps(alice, new JsonObject().put("action", "register_device")
      .put("username", name).put("metadata", InosServerHarness.globalContext(correlationId)));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String secret = data(response).getString("secret");
    assertEquals(43, secret.length(), "256 random bits, base64url");

    List<String> lifecycle = harness.awaitLedger(server, correlationId, 3);
    assertEquals(List.of("device:register_device:v1:requested/requested", "device:register_device:v1:started/started",
      "device:register_device:v1:success/success"), lifecycle);
    Row success = await(harness.checker().preparedQuery("SELECT payload::text AS payload FROM ledger "
      + "WHERE correlation_id = $1 AND state = 'success'").execute(Tuple.of(correlationId))).iterator().next();
    JsonObject recorded = new JsonObject(success.getString("payload")).getJsonObject("data");
    assertEquals(data(response).getString("device_id"), recorded.getString("device_id"), "the ledger has the rest");
    assertNull(recorded.getValue("secret"));
    assertFalse(success.getString("payload").contains(secret));
    Row stored = await(harness.checker().preparedQuery("SELECT password_hash FROM device WHERE username = $1")
      .execute(Tuple.of(name))).iterator().next();
    assertTrue(stored.getString("password_hash").startsWith("$2a$"), "only its hash is stored");
  }
}
