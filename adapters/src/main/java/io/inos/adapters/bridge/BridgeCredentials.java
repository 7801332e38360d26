package io.inos.adapters.bridge;

/**
 * What a client presents to prove who it is, as a protocol adapter found it: a bearer token (a JWT), or nothing,
 * which makes it a guest, possibly proposing its own guest id (the original frontend kept one per browser).
 *
 * @param token   the bearer token, or {@code null}
 * @param guestId the guest id the client proposes when it has no token, or {@code null} for a new one
 */
public record BridgeCredentials(String token, String guestId) {

  private static final String BEARER = "bearer ";

  public BridgeCredentials {
    if (token != null && token.isEmpty()) {
      token = null;
    }
  }

  /** @return a bearer token */
  public static BridgeCredentials bearer(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("a bearer token must not be empty");
    }
    return new BridgeCredentials(token, null);
  }

  /** @return a new guest */
  public static BridgeCredentials guest() {
    return new BridgeCredentials(null, null);
  }

  /**
   * @param proposedId the id the client wants to keep; taken only when it is a well-formed guest id, else the
   *                   guest gets a new one
   */
  public static BridgeCredentials guest(String proposedId) {
    return new BridgeCredentials(null, GuestIds.isGuestId(proposedId) ? proposedId : null);
  }

  /**
   * Reads an HTTP-style {@code Authorization} value ({@code Bearer <token>}, scheme case-insensitive).
   *
   * @param authorization the header value, or {@code null}
   * @param proposedGuest the guest id to propose when there is no token, or {@code null}
   */
  public static BridgeCredentials fromAuthorization(String authorization, String proposedGuest) {
    String token = bearerToken(authorization);
    return token != null ? bearer(token) : guest(proposedGuest);
  }

  /** @return the token of a {@code Bearer <token>} value, or {@code null} when it is none */
  public static String bearerToken(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
      || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }

  /** @return whether these credentials carry a token */
  public boolean hasToken() {
    return token != null;
  }

  @Override
  public String toString() {
    // never log the token itself
    return token != null ? "BridgeCredentials[bearer]" : "BridgeCredentials[guest " + guestId + "]";
  }
}
