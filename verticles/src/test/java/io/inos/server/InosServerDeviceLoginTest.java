package io.inos.server;

import io.inos.device.Device;
import io.inos.device.DeviceDraft;
import io.inos.device.DevicePasswords;
import io.inos.device.DeviceRegistry;
import io.inos.device.DeviceRepository;
import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.Event;
import io.inos.testing.TestDatabases;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Devices logging in to the assembled server's MQTT port with a user name and password stored in PostgreSQL (the
 * {@code device} table of migration V4): mosquitto_pub with {@code -u}/{@code -P} gets in and its publish carries the
 * device's user id; a wrong password and an unknown user name get CONNACK 0x04 (3.1.1) / 0x86 (5); a disabled device
 * gets 0x05 / 0x87; a JWT password keeps working beside them.
 */
class InosServerDeviceLoginTest {

  private static final String FEED = "feed:post_news:v1:completed";
  private static final String TOPIC = "feed/post_news/v1/completed";
  private static final String PASSWORD = "s3cret-device-pw";

  private InosServerHarness harness;
  private InosServer server;
  private DeviceRegistry devices;

  @BeforeEach
  void start() {
    harness = new InosServerHarness();
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .encode();
    server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", rules));
    await(server.database().ready());
    // cost 4: the tests check the logic, not BCrypt's cost
    devices = new DeviceRegistry(new DeviceRepository(server.database()::pool), new DevicePasswords(harness.vertx, 4));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aRegisteredDeviceConnectsWithMosquittoPubAndItsPublishCarriesItsUserId() throws Exception {
    String name = "sensor-" + UUID.randomUUID();
    Device device = await(devices.register(new DeviceDraft(name, PASSWORD, "user-of-" + name, Set.of("device"),
      Set.of("42"), new JsonObject().put("room", "lab"))));
    assertEquals("user-of-" + name, device.userId());
    assertTrue(device.enabled());

    LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    MessageConsumer<Event> consumer = server.vertx().eventBus().consumer(FEED, m -> events.add(m.body()));
    await(consumer.completion());
    try {
      for (String version : List.of("mqttv311", "mqttv5")) {
        String headline = "from-" + version + "-" + UUID.randomUUID();
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(server.mqttPort()),
          "-V", version, "-q", "1", "-u", name, "-P", PASSWORD, "-t", TOPIC,
          "-m", new JsonObject().put("headline", headline).encode())
          .redirectErrorStream(true).start();
        assertTrue(pub.waitFor(30, TimeUnit.SECONDS), "mosquitto_pub did not finish");
        assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Event event = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(event, "the device's publish did not reach the Nexus");
        assertEquals("user-of-" + name, event.userId(), "the event acts as the device's user");
        assertEquals(headline, event.payload().getJsonObject("data").getString("headline"));
      }
    } finally {
      consumer.unregister();
    }
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetBadUserNameOrPassword() throws Exception {
    String name = "meter-" + UUID.randomUUID();
    await(devices.register(DeviceDraft.of(name, PASSWORD)));
    assertEquals(0x00, connack(4, name, PASSWORD), "the right password");
    assertEquals(0x04, connack(4, name, "wrong-password"), "3.1.1: 0x04 bad user name or password");
    assertEquals(0x86, connack(5, name, "wrong-password"), "5: 0x86 bad user name or password");
    assertEquals(0x04, connack(4, "nobody-" + UUID.randomUUID(), PASSWORD), "an unknown user: the same answer");
    assertEquals(0x86, connack(5, "nobody-" + UUID.randomUUID(), PASSWORD), "an unknown user: the same answer");

    // and mosquitto_pub says so
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(server.mqttPort()),
      "-u", name, "-P", "wrong-password", "-t", TOPIC, "-m", "{}").redirectErrorStream(true).start();
    assertTrue(pub.waitFor(30, TimeUnit.SECONDS));
    String out = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pub.exitValue() != 0 && out.toLowerCase().contains("bad user name or password"), out);
  }

  @Test
  void aDisabledDeviceIsNotAuthorizedAndAJwtPasswordStillWorks() throws Exception {
    String name = "door-" + UUID.randomUUID();
    await(devices.register(DeviceDraft.of(name, PASSWORD)));
    assertEquals(0x00, connack(5, name, PASSWORD));
    assertEquals(false, await(devices.setEnabled(name, false)).enabled());
    assertEquals(0x05, connack(4, name, PASSWORD), "3.1.1: 0x05 not authorized");
    assertEquals(0x87, connack(5, name, PASSWORD), "5: 0x87 not authorized");
    assertEquals(0x04, connack(4, name, "wrong-password"), "a wrong password stays a wrong password");
    await(devices.setEnabled(name, true));
    assertEquals(0x00, connack(4, name, PASSWORD));

    String token = server.bridge().tokenIssuer().issue("jwt-user", List.of(), List.of());
    assertEquals(0x00, connack(5, "anything", token), "a JWT password, whatever the user name");
    assertEquals(0x00, connack(4, "jwt", token), "user name jwt");
    assertEquals(0x04, connack(4, "jwt", "not-a-token"), "user name jwt with a bad token");
  }

  @Test
  void aUserNameIsRegisteredOnce() {
    String name = "twin-" + UUID.randomUUID();
    await(devices.register(DeviceDraft.of(name, PASSWORD)));
    Throwable second = awaitFailure(devices.register(DeviceDraft.of(name, "another-password")));
    assertInstanceOf(OutcomeException.class, second);
    assertEquals(Code.ALREADY_EXISTS, ((OutcomeException) second).outcome().code());
    assertEquals(1L, await(harness.checker().preparedQuery("SELECT count(*) AS n FROM device d JOIN master m "
      + "ON m.id = d.master_id WHERE d.username = $1 AND m.type = 'device'").execute(io.vertx.sqlclient.Tuple.of(name)))
      .iterator().next().getLong("n"));
  }

  /** A CONNECT with user name and password over a bare socket; @return the CONNACK's return / reason code. */
  private int connack(int level, String username, String password) throws IOException {
    return RawMqttClient.connack(server.mqttPort(), level, username, password);
  }
}
