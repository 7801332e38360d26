package io.inos.adapters.mqtt.impl;

import io.inos.adapters.CoalescedFlushes;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Coalesces the flushes of an MQTT connection, as the web doors do ({@link CoalescedFlushes}): a subscriber sent many
 * messages while its event loop works through the publishers' packets writes them with one system call, not one
 * each (fan-in: every publisher's PUBLISH is written to the one subscriber at once, outside its own read).
 *
 * <p>vertx-mqtt 5 keeps the endpoint's socket private and offers no pipeline hook, so the socket is read from the
 * endpoint's {@code conn} field; when that is not there (another vertx-mqtt), connections keep Vert.x's own flushing
 * and this says so once.
 */
final class EndpointChannels {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointChannels.class);
  private static volatile boolean warned;
  private static volatile Field conn;

  private EndpointChannels() {
  }

  /**
   * @return the endpoint's socket, to write frames encoded already ({@link SharedFrames}); {@code null} when it cannot
   * be reached
   */
  static NetSocketInternal coalesceFlushes(MqttEndpoint endpoint) {
    try {
      Field field = conn;
      if (field == null || field.getDeclaringClass() != endpoint.getClass()) {
        field = endpoint.getClass().getDeclaredField("conn");
        field.setAccessible(true);
        conn = field;
      }
      if (field.get(endpoint) instanceof NetSocketInternal socket) {
        CoalescedFlushes.install(socket.channelHandlerContext().pipeline());
        return socket;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warn("mqtt: flushes are not coalesced ({}: {})", endpoint.getClass().getName(), e.toString());
      }
    }
    return null;
  }
}
