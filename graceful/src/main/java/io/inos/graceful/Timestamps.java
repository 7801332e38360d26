package io.inos.graceful;

import java.time.Instant;

/**
 * RFC 3339 text of an {@link Instant}, exactly as {@link Instant#toString()} writes it (UTC, {@code Z}, the fraction
 * in groups of three digits and only when there is one), but without a {@code DateTimeFormatter} on every call.
 *
 * <p>Every lifecycle event carries two or three timestamps as text, so formatting is on the hot path of each request.
 * The date and time of day are formatted once per second (the last second is cached; timestamps taken together share
 * it) and only the fraction is written per call.
 */
public final class Timestamps {

  /** The text of one whole second, without the trailing {@code Z}. */
  private record Second(long epochSecond, String text) {
  }

  private static volatile Second last = second(0);

  private Timestamps() {
  }

  /** @return {@code instant} as RFC 3339 text, equal to {@code instant.toString()} */
  public static String format(Instant instant) {
    long epochSecond = instant.getEpochSecond();
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = second(epochSecond);
      last = s; // a race only formats the same second twice
    }
    int nano = instant.getNano();
    if (nano == 0) {
      return s.text + 'Z';
    }
    StringBuilder out = new StringBuilder(s.text.length() + 11).append(s.text).append('.');
    if (nano % 1_000_000 == 0) {
      digits(out, nano / 1_000_000, 3);
    } else if (nano % 1_000 == 0) {
      digits(out, nano / 1_000, 6);
    } else {
      digits(out, nano, 9);
    }
    return out.append('Z').toString();
  }

  /** @return the current time as RFC 3339 text */
  public static String now() {
    return format(Instant.now());
  }

  private static Second second(long epochSecond) {
    String text = Instant.ofEpochSecond(epochSecond).toString();
    return new Second(epochSecond, text.substring(0, text.length() - 1));
  }

  /** Appends {@code value} with leading zeros to {@code width} digits. */
  private static void digits(StringBuilder out, int value, int width) {
    for (int divisor = pow10(width - 1); divisor > 0; divisor /= 10) {
      out.append((char) ('0' + value / divisor % 10));
    }
  }

  private static int pow10(int n) {
    int p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }
}
