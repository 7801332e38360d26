package io.inos.adapters.bridge;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * How the bridge verifies (and {@link TokenIssuer} signs) JWT bearer tokens.
 *
 * <p>{@code key} is what {@code INOS_JWT_KEY} holds: either an HS256 secret (at least
 * {@value #MIN_SECRET_LENGTH} characters), or a PEM public key ({@code -----BEGIN PUBLIC KEY-----}, RSA for RS256 or EC
 * for ES256, found from the key unless {@code algorithm} says otherwise). With a public key, the server only
 * verifies; {@code signingKey} (a PKCS#8 PEM private key, {@code -----BEGIN PRIVATE KEY-----}) lets it issue tokens
 * too. Without a key the bridge generates a random development HS256 key at start and logs a warning: its tokens do
 * not survive a restart and no other node accepts them.
 *
 * <p>The key material is part of {@link #toJson()} (the configuration round trip): never log it.
 */
public final class TokenOptions {

  public static final int MIN_SECRET_LENGTH = 32;
  /** Seconds of clock skew tolerated on {@code exp}, {@code iat} and {@code nbf}. */
  public static final int DEFAULT_LEEWAY_SECONDS = 5;
  /** How long an issued token lives unless the issuer is told otherwise: one hour. */
  public static final long DEFAULT_TTL_SECONDS = 3_600;
  /** The algorithms a key may be used with. */
  public static final Set<String> ALGORITHMS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256",
    "ES384", "ES512");

  private String key;
  private String signingKey;
  private String algorithm;
  private String issuer;
  private String audience;
  private int leewaySeconds = DEFAULT_LEEWAY_SECONDS;
  private long ttlSeconds = DEFAULT_TTL_SECONDS;

  public TokenOptions() {
  }

  public TokenOptions(TokenOptions other) {
    this.key = other.key;
    this.signingKey = other.signingKey;
    this.algorithm = other.algorithm;
    this.issuer = other.issuer;
    this.audience = other.audience;
    this.leewaySeconds = other.leewaySeconds;
    this.ttlSeconds = other.ttlSeconds;
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public TokenOptions(JsonObject json) {
    setKey(string(json, "key"));
    setSigningKey(string(json, "signingKey"));
    setAlgorithm(string(json, "algorithm"));
    setIssuer(string(json, "issuer"));
    setAudience(string(json, "audience"));
    setLeewaySeconds(json.getInteger("leewaySeconds", DEFAULT_LEEWAY_SECONDS));
    setTtlSeconds(json.getLong("ttlSeconds", DEFAULT_TTL_SECONDS));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("leewaySeconds", leewaySeconds).put("ttlSeconds", ttlSeconds);
    putIfSet(json, "key", key);
    putIfSet(json, "signingKey", signingKey);
    putIfSet(json, "algorithm", algorithm);
    putIfSet(json, "issuer", issuer);
    putIfSet(json, "audience", audience);
    return json;
  }

  /** An HS256 secret or a PEM public key; {@code null} = a development key generated at start, with a warning. */
  public String getKey() {
    return key;
  }

  /** @throws IllegalArgumentException for a secret shorter than {@value #MIN_SECRET_LENGTH} characters */
  public TokenOptions setKey(String key) {
    if (key != null && !isPem(key) && key.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("jwt.key: an HS256 secret must have at least " + MIN_SECRET_LENGTH
        + " characters (it has " + key.length() + "); or give a PEM public key");
    }
    this.key = key == null || key.isEmpty() ? null : key;
    return this;
  }

  /** A PKCS#8 PEM private key matching a PEM {@link #getKey() key}, to issue RS/ES tokens; {@code null} = verify only. */
  public String getSigningKey() {
    return signingKey;
  }

  public TokenOptions setSigningKey(String signingKey) {
    if (signingKey != null && !isPem(signingKey)) {
      throw new IllegalArgumentException("jwt.signingKey must be a PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    this.signingKey = signingKey;
    return this;
  }

  /** The JWS algorithm; {@code null} = from the key (HS256 for a secret, RS256 for RSA, ES256 for EC). */
  public String getAlgorithm() {
    return algorithm;
  }

  public TokenOptions setAlgorithm(String algorithm) {
    if (algorithm != null && !ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("jwt.algorithm must be one of " + ALGORITHMS + ", was '" + algorithm + "'");
    }
    this.algorithm = algorithm;
    return this;
  }

  /** When set, tokens must carry this {@code iss}, and issued tokens carry it. */
  public String getIssuer() {
    return issuer;
  }

  public TokenOptions setIssuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  /** When set, tokens must carry this {@code aud}, and issued tokens carry it. */
  public String getAudience() {
    return audience;
  }

  public TokenOptions setAudience(String audience) {
    this.audience = audience;
    return this;
  }

  public int getLeewaySeconds() {
    return leewaySeconds;
  }

  public TokenOptions setLeewaySeconds(int leewaySeconds) {
    if (leewaySeconds < 0) {
      throw new IllegalArgumentException("jwt.leewaySeconds must be 0 or positive, was " + leewaySeconds);
    }
    this.leewaySeconds = leewaySeconds;
    return this;
  }

  /** The lifetime of tokens the {@link TokenIssuer} issues. */
  public long getTtlSeconds() {
    return ttlSeconds;
  }

  public TokenOptions setTtlSeconds(long ttlSeconds) {
    if (ttlSeconds <= 0) {
      throw new IllegalArgumentException("jwt.ttlSeconds must be positive, was " + ttlSeconds);
    }
    this.ttlSeconds = ttlSeconds;
    return this;
  }

  /** @return whether {@code key} is PEM text rather than a secret */
  public static boolean isPem(String key) {
    return key.stripLeading().startsWith("-----BEGIN ");
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("jwt." + key + " must be a string");
    }
    return (String) value;
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
