package io.inos.adapters.bridge;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Guest ids of anonymous browsers, as the original gateway made them: {@code guest_} followed by 32 lower-case hex
 * digits (128 random bits, so a guest id cannot be guessed).
 */
public final class GuestIds {

  public static final String PREFIX = "guest_";
  private static final Pattern FORMAT = Pattern.compile("guest_[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private GuestIds() {
  }

  /** @return a new random guest id */
  public static String newGuestId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }

  /** @return whether {@code value} has the guest id format */
  public static boolean isGuestId(String value) {
    return value != null && FORMAT.matcher(value).matches();
  }
}
