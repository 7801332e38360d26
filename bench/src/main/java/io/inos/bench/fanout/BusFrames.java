package io.inos.bench.fanout;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The Vert.x event-bus bridge frames the load generators speak (the ones {@code @vertx/eventbus-bridge-client.js}
 * sends), and a cheap reader for the two numbers a delivery carries.
 *
 * <p>A delivery is {@code {"type":"rec","address":…,"body":…}}; somewhere in its body (at the top for the bare
 * bridge, in {@code payload.data} of an INOS event envelope) sit {@code "seq"} and {@code "sent_ns"}. The generator
 * receives hundreds of thousands of deliveries a second on the same two cores as the server, so it scans the bytes
 * for those two keys instead of parsing the JSON: the less the generator spends, the more of the machine the server
 * gets.
 */
public final class BusFrames {

  /** The JS client's heartbeat, sent every {@link #PING_INTERVAL_MS}. */
  public static final String PING = "{\"type\":\"ping\"}";
  /** How often the stock JS client pings (its {@code vertxbus_ping_interval}). */
  public static final long PING_INTERVAL_MS = 5_000;
  /** The header in which an INOS guest proposes its own id (see adapters/README.md). */
  public static final String GUEST_ID_HEADER = "inos-guest-id";

  private static final byte[] SEQ_KEY = "\"seq\":".getBytes();
  private static final byte[] SENT_KEY = "\"sent_ns\":".getBytes();

  private BusFrames() {
  }

  /** @return a {@code register} frame, with headers when {@code headers} is not {@code null} */
  public static String register(String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (headers != null) {
      frame.put("headers", headers);
    }
    return frame.encode();
  }

  /** @return a {@code publish} frame carrying {@code body} */
  public static String publish(String address, JsonObject body) {
    return new JsonObject().put("type", "publish").put("address", address).put("body", body).encode();
  }

  /** @return the body every feed message carries: its sequence number and when it was due, in the generator's nanoTime */
  public static JsonObject feedBody(long seq, long sentNs) {
    return new JsonObject().put("seq", seq).put("sent_ns", sentNs);
  }

  /** @return whether the frame is a refusal ({@code {"type":"err",…}}) */
  public static boolean isError(Buffer frame) {
    return indexOf(frame, "\"type\":\"err\"".getBytes(), 0) >= 0;
  }

  /** @return the {@code seq} of a delivery, or -1 when the frame has none */
  public static long seq(Buffer frame) {
    return numberAfter(frame, SEQ_KEY);
  }

  /** @return the {@code sent_ns} of a delivery, or {@link Long#MIN_VALUE} when the frame has none */
  public static long sentNs(Buffer frame) {
    int at = indexOf(frame, SENT_KEY, 0);
    return at < 0 ? Long.MIN_VALUE : parseLong(frame, at + SENT_KEY.length);
  }

  private static long numberAfter(Buffer frame, byte[] key) {
    int at = indexOf(frame, key, 0);
    return at < 0 ? -1 : parseLong(frame, at + key.length);
  }

  private static long parseLong(Buffer frame, int from) {
    int i = from;
    int end = frame.length();
    while (i < end && frame.getByte(i) == ' ') {
      i++;
    }
    boolean negative = i < end && frame.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end; i++) {
      byte b = frame.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
      digits++;
    }
    if (digits == 0) {
      return negative ? Long.MIN_VALUE : -1;
    }
    return negative ? -value : value;
  }

  private static int indexOf(Buffer frame, byte[] key, int from) {
    int last = frame.length() - key.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (frame.getByte(i) != key[0]) {
        continue;
      }
      for (int k = 1; k < key.length; k++) {
        if (frame.getByte(i + k) != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
