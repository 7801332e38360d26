package io.inos.device;

import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves the device service on a Nexus, wherever this verticle is deployed:
 * {@code device:{register_device|disable_device|enable_device|list_devices}:v1:requested}, through
 * {@code nexus.request} or any door ({@code POST /api/device_ops}, …).
 *
 * <pre>{@code
 * vertx.deployVerticle(new DeviceVerticle(nexus, db::pool, new DeviceVerticleOptions().setAdminUserIds(admins)));
 * }</pre>
 * Disabling a device ends its MQTT connections when the MQTT server listens for it ({@link DeviceDisconnects}).
 */
public class DeviceVerticle extends VerticleBase {

  private final Nexus nexus;
  private final Supplier<Pool> pool;
  private final DeviceVerticleOptions options;
  private Nexus.ServiceBinding binding;

  /**
   * @param nexus   the Nexus to serve on (of the Vert.x instance the verticle is deployed on)
   * @param pool    supplies the pool; it may return {@code null} until the database is up, and the actions then
   *                fail with UNAVAILABLE
   * @param options the options; copied
   */
  public DeviceVerticle(Nexus nexus, Supplier<Pool> pool, DeviceVerticleOptions options) {
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.options = new DeviceVerticleOptions(options);
  }

  @Override
  public Future<?> start() {
    DeviceService service = new DeviceService(new DeviceRepository(pool),
      new DevicePasswords(vertx, options.getPasswordCost()), new DeviceAccess(options.getAdminUserIds()));
    return nexus.serve(service.definition(options.getHandlerTimeoutMs())).onSuccess(b -> binding = b);
  }

  @Override
  public Future<?> stop() {
    return binding == null ? Future.succeededFuture() : binding.close();
  }
}
