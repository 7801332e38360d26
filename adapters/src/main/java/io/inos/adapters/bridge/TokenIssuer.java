package io.inos.adapters.bridge;

import io.inos.adapters.bridge.impl.JwtTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Collection;

/**
 * Issues the JWT bearer tokens the bridge accepts: {@code sub} = the user id, {@code roles} and {@code campaigns}
 * (arrays of strings), {@code exp}, {@code iat}, and {@code iss}/{@code aud} when the options name them. The user
 * service's login issues them; tests use {@link Bridge#tokenIssuer()}, which signs with the bridge's own key (also
 * the development key it generated).
 */
public interface TokenIssuer {

  /**
   * @throws IllegalArgumentException when the options have no key, or a key that does not load
   */
  static TokenIssuer create(Vertx vertx, TokenOptions options) {
    return JwtTokens.create(vertx, options);
  }

  /**
   * @return a token for {@code userId} that expires after {@link TokenOptions#getTtlSeconds()}
   * @throws IllegalStateException when the key only verifies (a PEM public key without a signing key)
   */
  String issue(String userId, Collection<String> roles, Collection<String> campaigns);

  /**
   * @param claims the claims, with at least {@code sub}; {@code exp} is added (now + the ttl) unless present, so a
   *               test can also make a token that has already expired
   * @throws IllegalStateException when the key only verifies
   */
  String issue(JsonObject claims);

  /** @return the JWS algorithm, e.g. {@code HS256} */
  String algorithm();
}
