package io.inos.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.UUID;

/**
 * Who is in the cluster, as {@code /health} shows it, with joins and leaves logged and counted
 * ({@code inos_cluster_members}, {@code inos_cluster_member_joins_total}, {@code inos_cluster_member_leaves_total}),
 * and how many event-bus registrations the cluster holds ({@link ClusterRegistrations}).
 */
public final class ClusterMembership implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

  private final HazelcastClusterManager manager;
  private final Counter joins;
  private final Counter leaves;
  private final ClusterRegistrations registrations;
  private UUID registration;

  private ClusterMembership(HazelcastClusterManager manager, MeterRegistry registry) {
    this.manager = manager;
    this.registrations = new ClusterRegistrations(manager, registry);
    this.joins = Counter.builder("inos.cluster.member.joins").description("nodes that joined since start")
      .register(registry);
    this.leaves = Counter.builder("inos.cluster.member.leaves").description("nodes that left since start")
      .register(registry);
    Gauge.builder("inos.cluster.members", this, m -> m.members().size()).description("nodes in the cluster now")
      .register(registry);
  }

  /** How often the cluster's registrations are counted. */
  static final long REGISTRATIONS_PERIOD_MS = 2_000;

  /** Starts watching; call once the clustered Vert.x instance is built (Hazelcast is running then). */
  public static ClusterMembership watch(Vertx vertx, HazelcastClusterManager manager, MeterRegistry registry) {
    ClusterMembership membership = new ClusterMembership(manager, registry);
    membership.registration = manager.getHazelcastInstance().getCluster().addMembershipListener(membership);
    membership.registrations.start(vertx, REGISTRATIONS_PERIOD_MS);
    LOG.info("cluster: joined as node {} with {} members: {}", manager.getNodeId(), membership.members().size(),
      membership.members());
    return membership;
  }

  private Set<Member> members() {
    HazelcastInstance hz = manager.getHazelcastInstance();
    return hz == null || !hz.getLifecycleService().isRunning() ? Set.of() : hz.getCluster().getMembers();
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    joins.increment();
    LOG.info("cluster: node {} joined ({}); {} members", event.getMember().getUuid(),
      event.getMember().getAddress(), event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    leaves.increment();
    LOG.warn("cluster: node {} left ({}); {} members", event.getMember().getUuid(), event.getMember().getAddress(),
      event.getMembers().size());
  }

  /**
   * @return {@code {"name", "node", "members": [{"node", "address", "self"}], "registrations": {"count", "addresses", "read_at"}}}
   */
  public JsonObject toJson() {
    JsonArray members = new JsonArray();
    for (Member member : members()) {
      members.add(new JsonObject().put("node", member.getUuid().toString())
        .put("address", member.getAddress().getHost() + ":" + member.getAddress().getPort())
        .put("self", member.localMember()));
    }
    HazelcastInstance hz = manager.getHazelcastInstance();
    return new JsonObject()
      .put("name", hz == null ? null : hz.getConfig().getClusterName())
      .put("node", manager.getNodeId())
      .put("members", members)
      .put("registrations", registrations.toJson());
  }

  /** Stops watching (before Vert.x closes). */
  public void stop() {
    registrations.stop();
    HazelcastInstance hz = manager.getHazelcastInstance();
    if (registration != null && hz != null && hz.getLifecycleService().isRunning()) {
      hz.getCluster().removeMembershipListener(registration);
    }
  }
}
