package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.adapters.mqtt.impl.RedisTesting;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.mqtt.impl.RedisTesting.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MqttAdapterOptions#getMaxSubscriptionsPerSession()} with the HiveMQ client (3.1.1 and 5): the new filters of
 * a SUBSCRIBE past the bound are refused, the others granted, and the session keeps what it had.
 */
@ExtendWith(VertxExtension.class)
class MqttSubscriptionLimitTest {

  private static final int LIMIT = 3;
  /** The same signing key on both sides of a restart, as a configured node has. */
  private static final String KEY = "a-test-key-of-at-least-thirty-two-characters";

  private Vertx vertx;
  private RedisTesting redis;
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.redis = new RedisTesting(vertx);
  }

  @AfterEach
  void cleanUp() {
    redis.close();
  }

  private MqttTestServer start(boolean withRedis) throws Exception {
    MqttAdapterOptions options = new MqttAdapterOptions().setHost("127.0.0.1").setPort(0).setSysIntervalSeconds(0)
      .setMaxSubscriptionsPerSession(LIMIT)
      .setBridge(new BridgeOptions().setRules(MqttTestServer.rules()).setTokens(new TokenOptions().setKey(KEY)));
    if (withRedis) {
      options.setRedisUrl(RedisTesting.URL).setRedisKeyPrefix(redis.prefix);
    }
    return MqttTestServer.start(vertx, options);
  }

  private String topic(String name) {
    return "sensors/" + id + "/" + name;
  }

  @Test
  void mqtt5NewFiltersPastTheBoundGetQuotaExceededAndTheSessionKeepsItsOwn() throws Exception {
    MqttTestServer server = start(false);
    Mqtt5BlockingClient client = v5("limited-5-" + id, server);
    client.connect();
    Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL);
    assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1),
      codes5(() -> client.subscribeWith().addSubscription().topicFilter(topic("a")).qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription().addSubscription().topicFilter(topic("b")).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .send()));
    // the third fits; "a" again replaces the one there is and takes no room; "d" is one too many
    assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
        Mqtt5SubAckReasonCode.QUOTA_EXCEEDED),
      codes5(() -> client.subscribeWith().addSubscription().topicFilter(topic("c")).qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription().addSubscription().topicFilter(topic("a")).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .addSubscription().topicFilter(topic("d")).qos(MqttQos.AT_LEAST_ONCE).applySubscription().send()));
    assertEquals(LIMIT, server.stats().subscriptions());

    // an unsubscribe makes room again
    client.unsubscribeWith().topicFilter(topic("b")).send();
    assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1), codes5(() -> client.subscribeWith()
      .topicFilter(topic("d")).qos(MqttQos.AT_LEAST_ONCE).send()));
    assertEquals(List.of(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED), codes5(() -> client.subscribeWith()
      .topicFilter(topic("b")).qos(MqttQos.AT_LEAST_ONCE).send()));

    // what it holds still delivers (in order, from one publisher): b was refused, so c is the first to come
    Mqtt5BlockingClient publisher = v5("limit-pub-" + id, server);
    publisher.connect();
    for (String name : List.of("b", "c", "a", "d")) {
      publisher.publishWith().topic(topic(name)).qos(MqttQos.AT_LEAST_ONCE).payload(name.getBytes()).send();
    }
    for (String name : List.of("c", "a", "d")) {
      assertEquals(topic(name), next(inbox).getTopic().toString());
    }
    publisher.disconnect();
    client.disconnect();
  }

  @Test
  void mqtt311NewFiltersPastTheBoundGetFailure() throws Exception {
    MqttTestServer server = start(false);
    Mqtt3BlockingClient client = Mqtt3Client.builder().identifier("limited-3-" + id).serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    client.connect();
    Mqtt3BlockingClient.Mqtt3Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL);
    for (String name : List.of("a", "b", "c")) {
      assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1), codes3(() -> client.subscribeWith()
        .topicFilter(topic(name)).qos(MqttQos.AT_LEAST_ONCE).send()));
    }
    assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1),
      codes3(() -> client.subscribeWith().addSubscription().topicFilter(topic("d")).qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription().addSubscription().topicFilter(topic("c")).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .send()));

    client.publishWith().topic(topic("d")).qos(MqttQos.AT_LEAST_ONCE).payload("d".getBytes()).send();
    client.publishWith().topic(topic("c")).qos(MqttQos.AT_LEAST_ONCE).payload("c".getBytes()).send();
    var got = inbox.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message within 20 s"));
    assertEquals(topic("c"), got.getTopic().toString(), "d was refused, c kept");
    client.disconnect();
  }

  @Test
  void aRestoredSessionCountsTheFiltersItHas() throws Exception {
    MqttTestServer first = start(true);
    String device = "limited-restored-" + id;
    Mqtt5BlockingClient client = persistent(device, first);
    client.subscribeWith().addSubscription().topicFilter(topic("a")).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
      .addSubscription().topicFilter(topic("b")).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
      .addSubscription().topicFilter(topic("c")).qos(MqttQos.AT_LEAST_ONCE).applySubscription().send();
    client.disconnect();
    first.stop();

    MqttTestServer second = start(true);
    awaitUntil("the restored subscriptions are active", () -> second.stats().subscriptions() == LIMIT);
    Mqtt5BlockingClient again = persistent(device, second);
    assertEquals(List.of(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED, Mqtt5SubAckReasonCode.GRANTED_QOS_1),
      codes5(() -> again.subscribeWith().addSubscription().topicFilter(topic("d")).qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription().addSubscription().topicFilter(topic("b")).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .send()));
    again.disconnect();
    second.stop();
  }

  private static Mqtt5BlockingClient v5(String clientId, MqttTestServer server) {
    return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(server.port).buildBlocking();
  }

  private static Mqtt5BlockingClient persistent(String clientId, MqttTestServer server) {
    Mqtt5BlockingClient client = v5(clientId, server);
    client.connectWith().cleanStart(false).sessionExpiryInterval(3_600).simpleAuth().username("jwt")
      .password(server.token("limited").getBytes()).applySimpleAuth().send();
    return client;
  }

  private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes inbox) throws InterruptedException {
    return inbox.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message within 20 s"));
  }

  /** The SUBACK's codes; the client throws when every one is a failure. */
  private static List<Mqtt5SubAckReasonCode> codes5(Callable<Mqtt5SubAck> subscribe) throws Exception {
    try {
      return subscribe.call().getReasonCodes();
    } catch (Mqtt5SubAckException refused) {
      return refused.getMqttMessage().getReasonCodes();
    }
  }

  /** The SUBACK's codes; the client throws when every one is a failure. */
  private static List<Mqtt3SubAckReturnCode> codes3(Callable<Mqtt3SubAck> subscribe) throws Exception {
    try {
      return subscribe.call().getReturnCodes();
    } catch (Mqtt3SubAckException refused) {
      return refused.getMqttMessage().getReturnCodes();
    }
  }
}
