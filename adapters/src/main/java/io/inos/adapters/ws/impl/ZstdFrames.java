package io.inos.adapters.ws.impl;

import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The original gateway's compressed frames: a binary WebSocket message holding the ASCII prefix {@code zstd:}
 * followed by one standard zstd frame of the UTF-8 JSON text.
 */
public final class ZstdFrames {

  /** The ASCII prefix of a compressed frame. */
  public static final String PREFIX = "zstd:";
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

  private ZstdFrames() {
  }

  /** @return whether a binary message starts with {@code zstd:} */
  public static boolean isCompressed(Buffer message) {
    if (message.length() < PREFIX_BYTES.length) {
      return false;
    }
    for (int i = 0; i < PREFIX_BYTES.length; i++) {
      if (message.getByte(i) != PREFIX_BYTES[i]) {
        return false;
      }
    }
    return true;
  }

  /** @return {@code zstd:} followed by the zstd frame of {@code utf8} */
  public static Buffer compress(byte[] utf8) {
    // stateless between calls (it makes its context per call), so one per call costs only the object
    ZstdCompressor compressor = new ZstdCompressor();
    byte[] out = new byte[PREFIX_BYTES.length + compressor.maxCompressedLength(utf8.length)];
    System.arraycopy(PREFIX_BYTES, 0, out, 0, PREFIX_BYTES.length);
    int n = compressor.compress(utf8, 0, utf8.length, out, PREFIX_BYTES.length, out.length - PREFIX_BYTES.length);
    return Buffer.buffer(Arrays.copyOf(out, PREFIX_BYTES.length + n));
  }

  /**
   * Decompresses a {@code zstd:} message, streaming, so that a bomb (a few bytes that inflate to gigabytes) is stopped
   * at {@code maxBytes} whatever its header declares.
   *
   * @throws FrameTooLarge when the text would exceed {@code maxBytes}
   * @throws IllegalArgumentException when the data is no valid zstd frame
   */
  public static byte[] decompress(Buffer message, int maxBytes) {
    byte[] bytes = message.getBytes(PREFIX_BYTES.length, message.length());
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(256, bytes.length * 4)));
    byte[] chunk = new byte[8192];
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(bytes))) {
      int total = 0;
      int n;
      while ((n = in.read(chunk, 0, chunk.length)) != -1) {
        total += n;
        if (total > maxBytes) {
          throw new FrameTooLarge("the compressed frame inflates to more than " + maxBytes + " bytes");
        }
        out.write(chunk, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FrameTooLarge tooLarge) {
        throw tooLarge;
      }
      throw new IllegalArgumentException("the zstd: frame is not valid zstd data (" + e.getMessage() + ")", e);
    }
    return out.toByteArray();
  }

  /** A compressed frame that inflates beyond the frame limit. */
  public static final class FrameTooLarge extends RuntimeException {
    public FrameTooLarge(String message) {
      super(message, null, false, false);
    }
  }
}
