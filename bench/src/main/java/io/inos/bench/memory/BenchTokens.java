package io.inos.bench.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * HS256 JWT bearer tokens of the shape INOS's bridge accepts ({@code sub}, {@code roles}, {@code campaigns},
 * {@code iat}, {@code exp}), signed with the secret the server was given in {@code INOS_JWT_KEY}, so that the idle
 * connections can sign in as users. Written out here (a few lines of HMAC) rather than with a JWT library, so the
 * bench needs no more dependencies.
 */
final class BenchTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
    .getBytes(StandardCharsets.UTF_8));

  private final Mac mac;

  BenchTokens(String secret) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** @return a token for {@code userId} with no roles and no campaigns, valid for {@code ttlSeconds} */
  String issue(String userId, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1_000;
    JsonObject claims = new JsonObject().put("sub", userId).put("roles", new JsonArray())
      .put("campaigns", new JsonArray()).put("iat", now).put("exp", now + ttlSeconds);
    String signed = HEADER + "." + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    return signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
  }
}
