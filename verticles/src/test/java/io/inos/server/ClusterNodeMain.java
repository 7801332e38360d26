package io.inos.server;

import io.inos.nexus.ServiceDefinition;
import io.inos.server.config.InosConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * One node of the multi-node tests, in a JVM of its own: {@link InosServer} from {@code INOS_*} variables, plus, when
 * {@code TEST_SERVE_ECHO} names this node, an {@code echo} service that answers with the node's name, so a test can
 * see where a request was served. Prints {@value Main#MQTT_LISTENING} and the MQTT port, then
 * {@value Main#LISTENING} and the HTTP port, once it serves.
 */
public final class ClusterNodeMain {

  private ClusterNodeMain() {
  }

  public static void main(String[] args) throws Exception {
    InosServer server = InosServer.start(InosConfigLoader.load(args, System.getenv()))
      .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    String node = System.getenv("TEST_NODE_NAME");
    if (System.getenv("TEST_SERVE_ECHO") != null) {
      server.nexus().serve(ServiceDefinition.builder("echo")
          .action("shout", request -> Future.succeededFuture(new JsonObject()
            .put("shout", String.valueOf(request.data().getValue("text")).toUpperCase())
            .put("node", node)))
          .build())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("node " + node + ": stop failed: " + e);
      }
    }));
    if (server.mqttPort() > 0) {
      System.out.println(Main.MQTT_LISTENING + server.mqttPort());
    }
    System.out.println(Main.LISTENING + server.httpPort());
  }
}
