package io.inos.nexus;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.NexusTesting.Inbox;
import io.inos.nexus.NexusTesting.RecordingJournal;
import io.inos.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.inos.nexus.NexusTesting.await;
import static io.inos.nexus.NexusTesting.failureOf;
import static io.inos.nexus.NexusTesting.requested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The lifecycle across two clustered Vert.x nodes in one JVM (Hazelcast on loopback): the service runs on one node,
 * the caller and the subscribers on the other, so every event crosses the wire through {@link EventCodec}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ClusteredNexusTest {

  private static final String CREATE = "campaign:create_campaign:v1:requested";

  private Vertx serviceNode;
  private Vertx callerNode;
  private final RecordingJournal journal = new RecordingJournal();
  private final List<Vertx> handledOn = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startCluster() {
    // a cluster of our own: a unique name and free ports, so parallel builds on this machine never join it
    String cluster = "inos-test-" + UUID.randomUUID();
    int first = FreePorts.belowEphemeralRange();
    // the first node looks for no one (it founds the cluster at once), the second joins it
    serviceNode = await(clusteredNode(cluster, first, first));
    callerNode = await(clusteredNode(cluster, FreePorts.belowEphemeralRange(), first));

    Nexus serviceNexus = Nexus.create(serviceNode, new NexusOptions().setJournal(journal));
    await(serviceNexus.serve(ServiceDefinition.builder("campaign")
      .action("create_campaign", request -> {
        handledOn.add(Vertx.currentContext().owner());
        return request.data().containsKey("name")
          ? Future.succeededFuture(new JsonObject().put("name", request.data().getString("name").toUpperCase()))
          : Future.failedFuture(OutcomeException.of(Code.INVALID_ARGUMENT, "name is required"));
      })
      .build()));
  }

  @AfterAll
  void stopCluster() {
    for (Vertx node : new Vertx[] {callerNode, serviceNode}) {
      if (node != null) {
        await(node.close());
      }
    }
  }

  private static Future<Vertx> clusteredNode(String cluster, int port, int... members) {
    Config config = ConfigUtil.loadConfig()
      .setClusterName(cluster)
      .setProperty("hazelcast.wait.seconds.before.join", "0")
      .setProperty("hazelcast.phone.home.enabled", "false")
      .setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int member : members) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + member);
    }
    VertxOptions options = new VertxOptions()
      .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  @Test
  void aRequestFromAnotherNodeIsStartedAndAnswered() {
    Nexus caller = Nexus.create(callerNode);
    Inbox userInbox = await(Inbox.listen(callerNode, Addresses.user("u-remote")));
    Event request = requested(CREATE, "u-remote", new JsonObject().put("name", "over the wire"));

    Event success = await(caller.request(request));

    assertEquals("OVER THE WIRE", success.data().getString("name"));
    assertEquals(request.correlationId(), success.correlationId());
    assertEquals(request.id(), success.causationId());
    assertNotSame(callerNode, handledOn.get(handledOn.size() - 1), "the handler ran on the other node");
    Event started = await(userInbox.first(request.correlationId(), EventState.STARTED));
    assertEquals(request.id(), started.causationId());
    assertEquals(success.id(), await(userInbox.first(request.correlationId(), EventState.SUCCESS)).id());
    assertEquals(List.of("campaign:create_campaign:v1:requested", "campaign:create_campaign:v1:started",
      "campaign:create_campaign:v1:success"), journal.typesOf(request.correlationId()));
    await(userInbox.close());
  }

  @Test
  void aFailureCrossesTheWireWithItsCode() {
    Nexus caller = Nexus.create(callerNode);
    assertSame(Code.INVALID_ARGUMENT,
      failureOf(caller.request(requested(CREATE, "u-remote", new JsonObject()))).code());
    assertSame(Code.NOT_FOUND,
      failureOf(caller.request(requested("nobody:do_it:v1:requested", "u", new JsonObject()))).code());
    assertSame(Code.UNIMPLEMENTED,
      failureOf(caller.request(requested("campaign:delete_campaign:v1:requested", "u", new JsonObject()))).code());
  }

  @Test
  void aDuplicateFromAnotherNodeGetsTheFirstAnswer() {
    Nexus caller = Nexus.create(callerNode);
    Event request = requested(CREATE, "u-remote", new JsonObject().put("name", "once"));
    Event first = await(caller.request(request));
    assertEquals(first.id(), await(caller.request(request)).id());
  }

  @Test
  void aJsonRequestFromAnotherNodeGetsAJsonAnswer() {
    Event request = requested(CREATE, "u-remote", new JsonObject().put("name", "json"));
    Message<Object> reply = await(callerNode.eventBus().request(CREATE, request.toJson()));
    JsonObject answer = assertInstanceOf(JsonObject.class, reply.body());
    assertEquals("JSON", answer.getJsonObject("payload").getJsonObject("data").getString("name"));
  }
}
