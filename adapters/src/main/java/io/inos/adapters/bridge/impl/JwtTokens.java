package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.TokenIssuer;
import io.inos.adapters.bridge.TokenOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JWT bearer tokens on vertx-auth-jwt: verifies them into {@link BridgeIdentity}s and issues them. */
public final class JwtTokens implements TokenIssuer {

  /** Longer tokens are refused before any parsing: a bound on the work a client can cause. */
  static final int MAX_TOKEN_LENGTH = 8_192;
  private static final Logger LOG = LoggerFactory.getLogger(JwtTokens.class);
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private final JWTAuth auth;
  private final TokenOptions options;
  private final String algorithm;
  private final boolean canSign;

  private JwtTokens(Vertx vertx, TokenOptions options) {
    this.options = new TokenOptions(options);
    String key = options.getKey();
    this.algorithm = algorithmOf(options);
    JWTAuthOptions config = new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(TokenOptions.isPem(key) ? pem(key) : key));
    this.canSign = !TokenOptions.isPem(key) || options.getSigningKey() != null;
    if (options.getSigningKey() != null) {
      config.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem(options.getSigningKey())));
    }
    JWTOptions jwt = new JWTOptions().setLeeway(options.getLeewaySeconds()).setIssuer(options.getIssuer());
    if (options.getAudience() != null) {
      jwt.addAudience(options.getAudience());
    }
    try {
      this.auth = JWTAuth.create(vertx, config.setJWTOptions(jwt));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("jwt.key: the key does not load for " + algorithm + ": " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException when the options have no key or a bad one */
  public static JwtTokens create(Vertx vertx, TokenOptions options) {
    if (options.getKey() == null) {
      throw new IllegalArgumentException("jwt.key is not set: give an HS256 secret or a PEM public key");
    }
    return new JwtTokens(vertx, options);
  }

  /** The bridge's tokens: with the configured key, or with a development key generated now, loudly. */
  static JwtTokens forBridge(Vertx vertx, TokenOptions options) {
    if (options.getKey() != null) {
      return new JwtTokens(vertx, options);
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    LOG.warn("*** NO JWT KEY CONFIGURED: generated a random DEVELOPMENT HS256 key. Tokens signed with it will NOT "
      + "survive a restart and no other node accepts them. Set INOS_JWT_KEY (jwt.key) to an HS256 secret of at least "
      + "{} characters, or to a PEM public key (RS256/ES256) with jwt.signingKey where tokens are issued. ***",
      TokenOptions.MIN_SECRET_LENGTH);
    return new JwtTokens(vertx, new TokenOptions(options).setAlgorithm("HS256")
      .setKey(HexFormat.of().formatHex(secret)));
  }

  @Override
  public String algorithm() {
    return algorithm;
  }

  @Override
  public String issue(String userId, Collection<String> roles, Collection<String> campaigns) {
    return issue(new JsonObject().put("sub", userId).put("roles", new JsonArray(java.util.List.copyOf(roles)))
      .put("campaigns", new JsonArray(java.util.List.copyOf(campaigns))));
  }

  @Override
  public String issue(JsonObject claims) {
    if (!canSign) {
      throw new IllegalStateException("this server only verifies tokens: set jwt.signingKey (a PEM private key) to "
        + "issue them");
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      throw new IllegalArgumentException("a token needs a 'sub' claim (the user id)");
    }
    JsonObject payload = claims.copy();
    if (!payload.containsKey("exp")) {
      payload.put("exp", System.currentTimeMillis() / 1000 + options.getTtlSeconds());
    }
    if (options.getIssuer() != null) {
      payload.put("iss", options.getIssuer());
    }
    if (options.getAudience() != null) {
      payload.put("aud", options.getAudience());
    }
    return auth.generateToken(payload, new JWTOptions().setAlgorithm(algorithm));
  }

  /**
   * @return the identity the token proves; fails with {@link BridgeError#INVALID_TOKEN} and a message
   * {@code invalid_token: <why>}
   */
  public Future<BridgeIdentity> verify(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      return Future.failedFuture(invalid("malformed (longer than " + MAX_TOKEN_LENGTH + " characters)"));
    }
    Future<User> verified;
    try {
      verified = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth throws, rather than fails, on claims of the wrong type (an "exp" that is a string, say)
      verified = Future.failedFuture(e);
    }
    return verified
      .recover(err -> Future.failedFuture(invalid(why(err))))
      .compose(this::identityOf);
  }

  private Future<BridgeIdentity> identityOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    if (claims == null || !(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      return Future.failedFuture(invalid("no 'sub' claim (the user id)"));
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return Future.failedFuture(invalid("no 'exp' claim (tokens must expire)"));
    }
    try {
      return Future.succeededFuture(BridgeIdentity.user(sub, strings(claims, "roles"), strings(claims, "campaigns"),
        // the same leeway as the signature check, so a token accepted now is not refused a moment later
        exp.longValue() + options.getLeewaySeconds()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(invalid(e.getMessage()));
    }
  }

  private static Set<String> strings(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("claim '" + name + "' must be an array");
    }
    Set<String> out = new HashSet<>();
    for (Object item : array) {
      if (!(item instanceof String) && !(item instanceof Number)) {
        throw new IllegalArgumentException("claim '" + name + "' must hold strings");
      }
      out.add(item.toString());
    }
    return out;
  }

  private static BridgeException invalid(String why) {
    return new BridgeException(BridgeError.INVALID_TOKEN, "invalid_token: " + why);
  }

  /** What went wrong, in words a client developer can act on (vertx-auth-jwt says it in several ways). */
  private static String why(Throwable err) {
    String message = String.valueOf(err.getMessage());
    if (message.contains("expired")) {
      return "expired";
    }
    if (err instanceof SignatureException || err.getCause() instanceof SignatureException
      || message.contains("Signature verification failed")) {
      return "the signature does not verify (forged, or signed with another key)";
    }
    if (err instanceof NoSuchKeyIdException) {
      return "not signed with an algorithm and key this server accepts";
    }
    if (message.contains("not signed") || message.contains("\"none\"") || message.contains("Signature is required")) {
      return "unsigned tokens are not accepted";
    }
    if (err instanceof ClassCastException) {
      return "malformed ('exp', 'iat' and 'nbf' must be numbers)";
    }
    if (message.contains("audience")) {
      return "wrong audience";
    }
    if (message.contains("issuer")) {
      return "wrong issuer";
    }
    return "malformed";
  }

  private static String algorithmOf(TokenOptions options) {
    String key = options.getKey();
    boolean pem = TokenOptions.isPem(key);
    String algorithm = options.getAlgorithm();
    if (algorithm != null) {
      if (pem == algorithm.startsWith("HS")) {
        throw new IllegalArgumentException("jwt.algorithm " + algorithm + " needs " + (pem ? "a secret" : "a PEM key")
          + " in jwt.key");
      }
      return algorithm;
    }
    if (!pem) {
      return "HS256";
    }
    PublicKey publicKey = publicKey(pem(key));
    return switch (publicKey.getAlgorithm()) {
      case "RSA" -> "RS256";
      case "EC" -> "ES256";
      default -> throw new IllegalArgumentException("jwt.key: a " + publicKey.getAlgorithm() + " key; use RSA or EC");
    };
  }

  private static PublicKey publicKey(String pem) {
    Matcher m = PEM.matcher(pem);
    if (!m.find() || !"PUBLIC KEY".equals(m.group(1))) {
      throw new IllegalArgumentException("jwt.key: a PEM key must be a public key (-----BEGIN PUBLIC KEY-----)");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
    for (String kind : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
      } catch (Exception notThisKind) {
        // try the next kind
      }
    }
    throw new IllegalArgumentException("jwt.key: the PEM public key is neither RSA nor EC");
  }

  /**
   * The PEM text in the shape vertx-auth expects (one BEGIN line, base64 lines, one END line), also from an environment
   * variable that holds it on one line or with literal {@code \n}.
   */
  static String pem(String text) {
    Matcher m = PEM.matcher(text.replace("\\n", "\n"));
    if (!m.find()) {
      throw new IllegalArgumentException("jwt: not PEM text (-----BEGIN …----- … -----END …-----)");
    }
    String body = m.group(2).replaceAll("\\s", "");
    StringBuilder out = new StringBuilder("-----BEGIN ").append(m.group(1)).append("-----\n");
    for (int i = 0; i < body.length(); i += 64) {
      out.append(body, i, Math.min(body.length(), i + 64)).append('\n');
    }
    return out.append("-----END ").append(m.group(1)).append("-----\n").toString();
  }
}
