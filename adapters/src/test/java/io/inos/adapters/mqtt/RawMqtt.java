package io.inos.adapters.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare TCP connection writing hand-made MQTT packets, for the malformed input no well-behaved client library sends,
 * and for what a library hides: the CONNACK flags, the DUP flag and packet id of each PUBLISH, when an acknowledgement
 * is sent. Public for the assembled server's tests.
 */
public final class RawMqtt implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;

  public RawMqtt(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
  }

  /** CONNECT with clean start, keep-alive 60 s, the given protocol level and client id. */
  public void connect(int level, String clientId) throws IOException {
    connect(level, clientId, true);
  }

  /** CONNECT with keep-alive 60 s (MQTT 3.1.1 without clean session keeps the session). */
  public void connect(int level, String clientId, boolean clean) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(level);
    body.write(clean ? 0x02 : 0x00);
    body.write(0);
    body.write(60);
    if (level == 5) {
      body.write(0); // no properties
    }
    string(body, clientId);
    send(0x10, body.toByteArray());
  }

  /** PUBLISH at QoS 0 of {@code payloadSize} bytes; the topic is written as it is, wildcards included. */
  public void publish(int level, String topic, int payloadSize) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, topic);
    if (level == 5) {
      body.write(0);
    }
    body.write(new byte[payloadSize]);
    send(0x30, body.toByteArray());
  }

  /** SUBSCRIBE (MQTT 3.1.1) to one filter. */
  public void subscribe(int packetId, String filter, int qos) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    string(body, filter);
    body.write(qos);
    send(0x82, body.toByteArray());
  }

  /** PUBLISH at QoS 0 whose topic is the given bytes as they are (invalid UTF-8 included). */
  void publishRawTopic(int level, byte[] topic, byte[] payload) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(topic.length >> 8);
    body.write(topic.length & 0xFF);
    body.write(topic, 0, topic.length);
    if (level == 5) {
      body.write(0);
    }
    body.write(payload, 0, payload.length);
    send(0x30, body.toByteArray());
  }

  /** SUBSCRIBE to one filter with the given options byte (QoS in its two low bits), at the given level. */
  void subscribe(int level, int packetId, String filter, int options) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    if (level == 5) {
      body.write(0);
    }
    string(body, filter);
    body.write(options);
    send(0x82, body.toByteArray());
  }

  /** PUBLISH (MQTT 3.1.1) at QoS 1 or 2 of a text payload, with the DUP flag as given. */
  public void publish(String topic, int qos, int packetId, boolean dup, String payload) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, topic);
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    body.write(payload.getBytes(StandardCharsets.UTF_8));
    send(0x30 | (dup ? 0x08 : 0) | qos << 1, body.toByteArray());
  }

  /** PUBREL (MQTT 3.1.1). */
  public void pubrel(int packetId) throws IOException {
    send(0x62, new byte[] {(byte) (packetId >> 8), (byte) packetId});
  }

  /** @return the topic of a PUBLISH packet as {@link #read()} gives it */
  public static String topic(int[] publish) {
    int length = publish[1] << 8 | publish[2];
    return new String(bytes(publish, 3, length), StandardCharsets.UTF_8);
  }

  /** @return the packet id of a QoS 1 or 2 PUBLISH packet (MQTT 3.1.1) */
  public static int packetId(int[] publish) {
    int at = 3 + (publish[1] << 8 | publish[2]);
    return publish[at] << 8 | publish[at + 1];
  }

  /** @return the payload of a QoS 1 or 2 PUBLISH packet (MQTT 3.1.1) as text */
  public static String payload(int[] publish) {
    int at = 3 + (publish[1] << 8 | publish[2]) + 2;
    return new String(bytes(publish, at, publish.length - at), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int[] packet, int from, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) packet[from + i];
    }
    return out;
  }

  /** Writes bytes as they are: a packet no encoder would make. */
  void writeRaw(byte... bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** PUBACK (MQTT 3.1.1). */
  public void puback(int packetId) throws IOException {
    send(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId});
  }

  /** @return the next packet: its first byte, then its body; or {@code null} when the server closed the connection */
  public int[] read() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int length = 0;
    int shift = 0;
    int b;
    do {
      b = in.readUnsignedByte();
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    int[] packet = new int[length + 1];
    packet[0] = first;
    for (int i = 1; i <= length; i++) {
      packet[i] = in.readUnsignedByte();
    }
    return packet;
  }

  /** @return whether the server closed the connection (after any packets it still sent) */
  public boolean closedByServer() throws IOException {
    try {
      while (read() != null) {
        // skip what comes before the end
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private void send(int type, byte[] body) throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(type);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      packet.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    packet.write(body);
    socket.getOutputStream().write(packet.toByteArray());
    socket.getOutputStream().flush();
  }

  private static void string(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.write(bytes, 0, bytes.length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
