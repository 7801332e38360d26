package io.inos.campaign;

import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves the campaign service on a Nexus, wherever this verticle is deployed: every node of the cluster can then
 * ask it, through {@code nexus.request(campaign:{action}:v1:requested)} or any protocol edge.
 *
 * <pre>{@code
 * PgDatabase db = PgDatabase.create(vertx, dbOptions);
 * db.start();   // PostgreSQL may come up later: until then the actions fail with UNAVAILABLE
 * vertx.deployVerticle(new CampaignVerticle(nexus, db::pool, new CampaignVerticleOptions()));
 * }</pre>
 */
public class CampaignVerticle extends VerticleBase {

  private final Nexus nexus;
  private final Supplier<Pool> pool;
  private final CampaignVerticleOptions options;
  private Nexus.ServiceBinding binding;

  /**
   * @param nexus   the Nexus to serve on (of the Vert.x instance the verticle is deployed on)
   * @param pool    supplies the pool; it may return {@code null} until the database is up, and the actions then
   *                fail with UNAVAILABLE
   * @param options the options; copied
   */
  public CampaignVerticle(Nexus nexus, Supplier<Pool> pool, CampaignVerticleOptions options) {
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.options = new CampaignVerticleOptions(options);
  }

  /** The verticle with default options. */
  public CampaignVerticle(Nexus nexus, Supplier<Pool> pool) {
    this(nexus, pool, new CampaignVerticleOptions());
  }

  @Override
  public Future<?> start() {
    CampaignService service = new CampaignService(nexus, new CampaignRepository(pool));
    return nexus.serve(service.definition(options.getHandlerTimeoutMs())).onSuccess(b -> binding = b);
  }

  @Override
  public Future<?> stop() {
    return binding == null ? Future.succeededFuture() : binding.close();
  }
}
