package io.inos.adapters.mqtt;

import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One application message as MQTT carries it: what a client published (or its will), on its way to the subscribers
 * and to the retained store. Immutable; the payload must not be changed.
 *
 * @param topic           the topic name
 * @param payload         the payload bytes
 * @param qos             the QoS it was published with (0, 1 or 2)
 * @param retain          the RETAIN flag it was published with
 * @param properties      the MQTT 5 application properties passed through to subscribers
 * @param expiresAtMillis when it expires (MQTT 5 Message Expiry Interval), in ms since the epoch; 0 = never
 * @param origin          the client id of the publisher ({@code null} for messages from the Nexus), for No Local
 */
public record Publication(String topic, Buffer payload, int qos, boolean retain, Properties properties,
                          long expiresAtMillis, String origin) {

  public Publication {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
    }
    properties = properties == null ? Properties.NONE : properties;
  }

  /** @return whether it expired at {@code nowMillis} */
  public boolean expired(long nowMillis) {
    return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
  }

  /** @return the same message with another RETAIN flag */
  public Publication withRetain(boolean flag) {
    return flag == retain ? this : new Publication(topic, payload, qos, flag, properties, expiresAtMillis, origin);
  }

  /**
   * The MQTT 5 properties an application message carries from its publisher to its subscribers (section 3.3.2.3).
   *
   * @param payloadFormat   1 when the payload is UTF-8 text, 0 when unspecified bytes; {@code null} when not given
   * @param contentType     a MIME type, or {@code null}
   * @param responseTopic   where a response should go, or {@code null}
   * @param correlationData bytes the requester wants back, or {@code null}
   * @param userProperties  name and value pairs, in order, names may repeat
   */
  public record Properties(Integer payloadFormat, String contentType, String responseTopic, Buffer correlationData,
                           List<Map.Entry<String, String>> userProperties) {

    public static final Properties NONE = new Properties(null, null, null, null, List.of());

    public Properties {
      userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    public boolean isEmpty() {
      return payloadFormat == null && contentType == null && responseTopic == null && correlationData == null
        && userProperties.isEmpty();
    }
  }
}
