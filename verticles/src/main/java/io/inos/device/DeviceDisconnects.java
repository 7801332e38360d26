package io.inos.device;

import io.inos.nexus.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Ends the live connections of a device as soon as the device service disables it, on every node: each node listens
 * to the {@value #DISABLED} events (published cluster-wide, as every outcome) and ends the connections that logged
 * in on it with that device's user name. Its next login is refused by the device table (not authorized).
 */
public final class DeviceDisconnects {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceDisconnects.class);
  /** The outcome that says a device was disabled; {@code payload.data.device.username} names it. */
  public static final String DISABLED = "device:disable_device:v1:success";

  private DeviceDisconnects() {
  }

  /**
   * @param vertx      the node's Vert.x
   * @param disconnect ends the connections that logged in with a user name, and says how many there were
   * @return the listener, registered (cluster-wide when clustered); unregister it to stop
   */
  public static Future<MessageConsumer<Object>> listen(Vertx vertx, Function<String, Future<Integer>> disconnect) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(DISABLED, message -> {
      if (!(message.body() instanceof Event event)) {
        return;
      }
      JsonObject device = event.data().getJsonObject("device");
      String username = device == null ? null : device.getString("username");
      if (username == null) {
        return;
      }
      disconnect.apply(username).onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("could not end the connections of disabled device '{}': {}", username, ar.cause().toString());
        } else if (ar.result() > 0) {
          LOG.info("disabled device '{}': {} connection(s) ended", username, ar.result());
        }
      });
    });
    return consumer.completion().map(consumer);
  }
}
