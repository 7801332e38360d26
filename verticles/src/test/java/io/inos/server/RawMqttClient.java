package io.inos.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An MQTT client on a bare socket, for what a library client hides: the exact CONNACK code of a login, and how the
 * server ends a connection (a DISCONNECT and its reason code, or a plain close).
 */
final class RawMqttClient implements AutoCloseable {

  /** What {@link #awaitEnd()} returns when the server closed the connection without a DISCONNECT. */
  static final int CLOSED = -1;

  private final Socket socket;
  private final DataInputStream in;
  private final int returnCode;

  private RawMqttClient(Socket socket, DataInputStream in, int returnCode) {
    this.socket = socket;
    this.in = in;
    this.returnCode = returnCode;
  }

  /** @return the CONNACK's return code (3.1.1) or reason code (5) of a login with user name and password */
  static int connack(int port, int level, String username, String password) throws IOException {
    try (RawMqttClient client = connect(port, level, username, password)) {
      return client.returnCode();
    }
  }

  /** Sends a clean-session CONNECT with user name and password (protocol level 4 or 5) and reads the CONNACK. */
  static RawMqttClient connect(int port, int level, String username, String password) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    try {
      socket.setSoTimeout(20_000);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      string(body, "MQTT");
      body.write(level);
      body.write(0x02 | 0x80 | 0x40); // clean, user name, password
      body.write(0);
      body.write(60); // keep alive, s
      if (level == 5) {
        body.write(0); // no properties
      }
      string(body, "c-" + UUID.randomUUID());
      string(body, username);
      string(body, password);
      ByteArrayOutputStream packet = new ByteArrayOutputStream();
      packet.write(0x10);
      int length = body.size();
      do {
        int digit = length % 128;
        length /= 128;
        packet.write(length > 0 ? digit | 0x80 : digit);
      } while (length > 0);
      body.writeTo(packet);
      socket.getOutputStream().write(packet.toByteArray());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
      int remaining = remainingLength(in);
      in.readUnsignedByte(); // session present
      int code = in.readUnsignedByte();
      in.skipNBytes(remaining - 2); // MQTT 5 properties
      return new RawMqttClient(socket, in, code);
    } catch (IOException | RuntimeException | Error e) {
      socket.close();
      throw e;
    }
  }

  int returnCode() {
    return returnCode;
  }

  /**
   * Waits (up to 20 s) for the server to end the connection.
   *
   * @return the reason code of the server's DISCONNECT (MQTT 5), or {@link #CLOSED} when it closed without one
   */
  int awaitEnd() throws IOException {
    int type;
    try {
      type = in.readUnsignedByte();
    } catch (EOFException closed) {
      return CLOSED;
    }
    assertEquals(0xE0, type, "the server sent a packet that is no DISCONNECT");
    int remaining = remainingLength(in);
    return remaining == 0 ? 0x00 : in.readUnsignedByte();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static int remainingLength(DataInputStream in) throws IOException {
    int value = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = in.readUnsignedByte();
      value += (digit & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    return value;
  }

  private static void string(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.write(bytes, 0, bytes.length);
  }
}
