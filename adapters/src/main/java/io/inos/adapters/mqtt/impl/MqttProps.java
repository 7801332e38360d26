package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.buffer.Buffer;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** MQTT 5 properties of application messages: read from a PUBLISH or a will, written into a PUBLISH. */
final class MqttProps {

  private MqttProps() {
  }

  static Publication.Properties read(MqttProperties properties) {
    // not MqttProperties.isEmpty(): in Netty it does not count user properties
    if (properties == null || properties.listAll().isEmpty() && properties.getProperties(MqttProperties.USER_PROPERTY)
      .isEmpty()) {
      return Publication.Properties.NONE;
    }
    Integer format = integer(properties, MqttProperties.PAYLOAD_FORMAT_INDICATOR);
    String contentType = string(properties, MqttProperties.CONTENT_TYPE);
    String responseTopic = string(properties, MqttProperties.RESPONSE_TOPIC);
    MqttProperties.MqttProperty<?> correlation = properties.getProperty(MqttProperties.CORRELATION_DATA);
    Buffer correlationData = correlation != null && correlation.value() instanceof byte[] bytes ? Buffer.buffer(bytes)
      : null;
    List<Map.Entry<String, String>> user = new ArrayList<>(0);
    for (MqttProperties.MqttProperty<?> p : properties.getProperties(MqttProperties.USER_PROPERTY)) {
      Object value = p.value();
      if (value instanceof MqttProperties.StringPair pair) {
        user.add(new AbstractMap.SimpleImmutableEntry<>(pair.key, pair.value));
      } else if (value instanceof List<?> pairs) {
        for (Object o : pairs) {
          if (o instanceof MqttProperties.StringPair pair) {
            user.add(new AbstractMap.SimpleImmutableEntry<>(pair.key, pair.value));
          }
        }
      }
    }
    return new Publication.Properties(format, contentType, responseTopic, correlationData, user);
  }

  /** @return the MQTT 5 Message Expiry Interval as an instant in ms since the epoch; 0 = none */
  static long expiresAt(MqttProperties properties, long nowMillis) {
    Integer seconds = properties == null ? null : integer(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
    return seconds == null ? 0 : nowMillis + Integer.toUnsignedLong(seconds) * 1000;
  }

  /** The properties of a PUBLISH to a client. */
  static MqttProperties write(Publication message, int[] subscriptionIds, long nowMillis) {
    Publication.Properties p = message.properties();
    if (p.isEmpty() && subscriptionIds.length == 0 && message.expiresAtMillis() == 0) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties out = new MqttProperties();
    if (p.payloadFormat() != null) {
      out.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, p.payloadFormat()));
    }
    if (message.expiresAtMillis() > 0) {
      long left = Math.max(1, (message.expiresAtMillis() - nowMillis + 999) / 1000);
      out.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) left));
    }
    if (p.contentType() != null) {
      out.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, p.contentType()));
    }
    if (p.responseTopic() != null) {
      out.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, p.responseTopic()));
    }
    if (p.correlationData() != null) {
      out.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, p.correlationData().getBytes()));
    }
    if (!p.userProperties().isEmpty()) {
      MqttProperties.UserProperties user = new MqttProperties.UserProperties();
      for (Map.Entry<String, String> pair : p.userProperties()) {
        user.add(pair.getKey(), pair.getValue());
      }
      out.add(user);
    }
    for (int id : subscriptionIds) {
      out.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
    }
    return out;
  }

  static Integer integer(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(id);
    return p != null && p.value() instanceof Integer i ? i : null;
  }

  static String string(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(id);
    return p != null && p.value() instanceof String s ? s : null;
  }
}
