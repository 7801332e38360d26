package io.inos.adapters.mqtt;

import io.inos.adapters.bridge.BridgeCredentials;
import io.vertx.core.Future;

/**
 * Turns an MQTT CONNECT's user name and password into the credentials the bridge authenticates (a bearer token, or
 * a guest). The adapter's default, {@link #bearerTokens()}, takes the password as a JWT; a credential store (the
 * server's PostgreSQL device table, say) plugs in with {@link #tokensOr}, which keeps JWT passwords working. This is
 * how the adapter stays free of any store: an implementation that checks a password mints a short-lived token of the
 * bridge's own issuer for the identity it found.
 *
 * <p>Called on the connection's context; the future may complete on any thread (the adapter goes back to its
 * context). Implementations must not block the calling thread: slow work (password hashing) belongs on a worker.
 * A refusal is an {@link MqttLoginRefused}; any other failure is answered as "server unavailable".
 */
@FunctionalInterface
public interface MqttAuthenticator {

  /**
   * @return the credentials to open the client's bridge session with; or a failure, preferably an
   * {@link MqttLoginRefused}
   */
  Future<BridgeCredentials> authenticate(MqttLogin login);

  /**
   * The default: a non-empty password is a bearer token (the user name is then ignored); without one the client is
   * a guest, keeping the guest id it gives as user name when that is a well-formed guest id.
   */
  static MqttAuthenticator bearerTokens() {
    return login -> Future.succeededFuture(login.hasPassword() ? BridgeCredentials.bearer(login.password())
      : BridgeCredentials.guest(login.username()));
  }

  /**
   * The rule for a server with a credential store: no password → a guest, as {@link #bearerTokens()}; a password that
   * is a token ({@link MqttLogin#passwordIsToken()}: user name {@value MqttLogin#JWT_USERNAME}, or a password shaped
   * as a JWT) → a bearer token; any other user name and password → {@code passwords}.
   */
  static MqttAuthenticator tokensOr(MqttAuthenticator passwords) {
    java.util.Objects.requireNonNull(passwords, "passwords");
    MqttAuthenticator tokens = bearerTokens();
    return login -> !login.hasPassword() || login.passwordIsToken() || login.username() == null
      || login.username().isEmpty() ? tokens.authenticate(login) : passwords.authenticate(login);
  }
}
