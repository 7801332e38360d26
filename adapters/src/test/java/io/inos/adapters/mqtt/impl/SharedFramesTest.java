package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared frames read back by Netty's own MQTT decoder, as a client's would. */
class SharedFramesTest {

  private static MqttPublishMessage decode(ByteBuf frame, MqttVersion version) {
    EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder());
    // the decoder reads the protocol version a CONNECT would have set on the channel
    channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
    channel.writeInbound(frame);
    MqttPublishMessage publish = channel.readInbound();
    assertTrue(publish.decoderResult().isSuccess(), String.valueOf(publish.decoderResult().cause()));
    return publish;
  }

  private static String text(ByteBuf payload) {
    return payload.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aMqtt311FrameIsTheTopicAndThePayload() {
    Publication p = new Publication("sensors/é/1", Buffer.buffer("x".repeat(300)), 1, false,
      Publication.Properties.NONE, 0, "someone");
    MqttPublishMessage decoded = decode(SharedFrames.encode(p, false, true), MqttVersion.MQTT_3_1_1);
    assertEquals("sensors/é/1", decoded.variableHeader().topicName());
    assertEquals(MqttQoS.AT_MOST_ONCE, decoded.fixedHeader().qosLevel());
    assertTrue(decoded.fixedHeader().isRetain());
    assertFalse(decoded.fixedHeader().isDup());
    assertEquals("x".repeat(300), text(decoded.payload()), "a remaining length of two bytes");
    decoded.release();
  }

  @Test
  void aMqtt5FrameCarriesTheApplicationProperties() {
    Publication.Properties props = new Publication.Properties(1, "application/json", "replies/1",
      Buffer.buffer(new byte[] {1, 2, 3}), List.of(new AbstractMap.SimpleImmutableEntry<>("unit", "celsius"),
      new AbstractMap.SimpleImmutableEntry<>("room", "1")));
    Publication p = new Publication("a/b", Buffer.buffer("{}"), 0, false, props, 0, null);
    MqttPublishMessage decoded = decode(SharedFrames.encode(p, true, false), MqttVersion.MQTT_5);
    assertEquals("a/b", decoded.variableHeader().topicName());
    assertFalse(decoded.fixedHeader().isRetain());
    MqttProperties read = decoded.variableHeader().properties();
    assertEquals(1, read.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR).value());
    assertEquals("application/json", read.getProperty(MqttProperties.CONTENT_TYPE).value());
    assertEquals("replies/1", read.getProperty(MqttProperties.RESPONSE_TOPIC).value());
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) read.getProperty(MqttProperties.CORRELATION_DATA).value());
    Publication.Properties back = MqttProps.read(read);
    assertEquals(props.userProperties(), back.userProperties(), "both pairs, in order");
    assertEquals("{}", text(decoded.payload()));
    decoded.release();
  }

  @Test
  void oneEncodingPerMessageVersionAndRetainFlag() {
    SharedFrames frames = new SharedFrames();
    Publication p = new Publication("t", Buffer.buffer("1"), 0, false, Publication.Properties.NONE, 0, null);
    ByteBuf first = frames.frame(p, false, false);
    ByteBuf second = frames.frame(p, false, false);
    assertSame(first.unwrap(), second.unwrap(), "duplicates of one buffer");
    assertEquals(3, first.unwrap().refCnt(), "the frames' own reference and one per duplicate");
    first.release();
    second.release();
    assertEquals(1, first.unwrap().refCnt(), "the channels released theirs");
    ByteBuf shared = first.unwrap();
    frames.release();
    // (checked before anything else is allocated: the pool recycles the buffer objects)
    assertEquals(0, shared.refCnt(), "and the frames let theirs go");
    assertFalse(SharedFrames.shareable(p, 1, new int[0]), "QoS 1 has a packet id per subscriber");
    assertFalse(SharedFrames.shareable(p, 0, new int[] {7}), "a subscription identifier is per subscriber");
  }
}
