package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The QoS 0 PUBLISH of the message being routed, encoded once per protocol version and retain flag and written to
 * every subscriber that gets it as it is (a duplicate of one direct buffer each): a fan-out to a thousand subscribers
 * encodes and copies the payload once, not a thousand times, as brokers written in C do.
 *
 * <p>Only for deliveries whose bytes are the same for every subscriber: QoS 0 (no packet id), no subscription
 * identifier and no message expiry (both differ per subscriber or per moment). The MQTT 5 properties it writes are
 * the application message's own ({@link Publication.Properties}).
 *
 * <p>Holds the frames of one message at a time, released when the next message comes or the broker closes. Used on
 * the adapter's context only.
 */
final class SharedFrames {

  private Publication message;
  /** index: (MQTT 5 ? 2 : 0) + (retain ? 1 : 0) */
  private final ByteBuf[] frames = new ByteBuf[4];

  /** @return whether a delivery of {@code message} can be a shared frame */
  static boolean shareable(Publication message, int qos, int[] subscriptionIds) {
    return qos == 0 && subscriptionIds.length == 0 && message.expiresAtMillis() == 0;
  }

  /** @return the frame of {@code message} for one subscriber, to be written (and released) by the channel */
  ByteBuf frame(Publication message, boolean v5, boolean retain) {
    if (message != this.message) {
      release();
      this.message = message;
    }
    int index = (v5 ? 2 : 0) + (retain ? 1 : 0);
    ByteBuf frame = frames[index];
    if (frame == null) {
      frame = frames[index] = encode(message, v5, retain);
    }
    return frame.retainedDuplicate();
  }

  /** Lets the frames go (the channels still writing them hold their own references). */
  void release() {
    for (int i = 0; i < frames.length; i++) {
      if (frames[i] != null) {
        frames[i].release();
        frames[i] = null;
      }
    }
    message = null;
  }

  /** A QoS 0 PUBLISH (MQTT 3.1.1 3.3, MQTT 5 3.3): fixed header, topic, properties in 5, payload. */
  static ByteBuf encode(Publication message, boolean v5, boolean retain) {
    byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
    byte[] properties = v5 ? properties(message.properties()) : null;
    int payload = message.payload().length();
    int remaining = 2 + topic.length + (v5 ? varIntSize(properties.length) + properties.length : 0) + payload;
    ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(1 + varIntSize(remaining) + remaining);
    out.writeByte(0x30 | (retain ? 1 : 0));
    writeVarInt(out, remaining);
    out.writeShort(topic.length);
    out.writeBytes(topic);
    if (v5) {
      writeVarInt(out, properties.length);
      out.writeBytes(properties);
    }
    out.writeBytes(message.payload().getBytes());
    return out;
  }

  private static byte[] properties(Publication.Properties p) {
    ByteBuf out = Unpooled.buffer();
    if (p.payloadFormat() != null) {
      out.writeByte(0x01).writeByte(p.payloadFormat());
    }
    if (p.contentType() != null) {
      out.writeByte(0x03);
      writeString(out, p.contentType());
    }
    if (p.responseTopic() != null) {
      out.writeByte(0x08);
      writeString(out, p.responseTopic());
    }
    if (p.correlationData() != null) {
      byte[] data = p.correlationData().getBytes();
      out.writeByte(0x09).writeShort(data.length).writeBytes(data);
    }
    for (Map.Entry<String, String> pair : p.userProperties()) {
      out.writeByte(0x26);
      writeString(out, pair.getKey());
      writeString(out, pair.getValue());
    }
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  private static void writeString(ByteBuf out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length).writeBytes(bytes);
  }

  private static int varIntSize(int value) {
    int size = 1;
    while (value > 127) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static void writeVarInt(ByteBuf out, int value) {
    do {
      int digit = value & 0x7F;
      value >>>= 7;
      out.writeByte(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
  }
}
