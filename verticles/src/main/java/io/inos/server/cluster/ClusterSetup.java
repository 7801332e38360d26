package io.inos.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.inos.server.config.InosConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast cluster manager and event-bus options of a clustered node, from the {@code cluster.*} settings:
 * a TCP/IP member list on bare hosts ({@code INOS_CLUSTER_MEMBERS}), or Kubernetes discovery through a service's
 * endpoints ({@code INOS_CLUSTER_KUBERNETES_SERVICE}); multicast and auto-detection are always off, so a node joins
 * only the members it was told about.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  /** @return a cluster manager for this node; Vert.x starts Hazelcast when it builds the clustered instance */
  public static HazelcastClusterManager clusterManager(InosConfig config) {
    // ConfigUtil keeps the maps and multimaps Vert.x needs (subscriptions, HA info, locks)
    Config hz = ConfigUtil.loadConfig()
      .setClusterName(config.clusterName())
      // join at once instead of waiting ~5 s for others (start-up ~2 s instead of ~7 s)
      .setProperty("hazelcast.wait.seconds.before.join", "0")
      // a hung node is given up after 10 s instead of 60: requests to its services fail over sooner
      .setProperty("hazelcast.max.no.heartbeat.seconds", "10")
      .setProperty("hazelcast.heartbeat.interval.seconds", "1")
      .setProperty("hazelcast.phone.home.enabled", "false")
      .setProperty("hazelcast.shutdownhook.enabled", "false")
      .setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(config.clusterPort()).setPortAutoIncrement(false);
    config.clusterHost().ifPresent(host -> hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(host));
    config.clusterPublicHost().ifPresent(host ->
      hz.getNetworkConfig().setPublicAddress(host + ":" + config.clusterPort()));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.clusterKubernetesService().isPresent()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
        .setProperty("service-name", config.clusterKubernetesService().get());
    } else {
      join.getTcpIpConfig().setEnabled(true);
      // a node with no member list founds a cluster of its own and waits for the others to find it
      config.clusterMembers().forEach(member -> join.getTcpIpConfig().addMember(member));
    }
    return new HazelcastClusterManager(hz);
  }

  /** @return the options with the event bus bound and announced where the other nodes can reach it */
  public static VertxOptions vertxOptions(InosConfig config, VertxOptions base) {
    EventBusOptions bus = new EventBusOptions(base.getEventBusOptions()).setPort(config.clusterBusPort());
    config.clusterHost().ifPresent(bus::setHost);
    config.clusterPublicHost().ifPresent(bus::setClusterPublicHost);
    return new VertxOptions(base).setEventBusOptions(bus);
  }
}
