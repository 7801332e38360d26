package io.inos.adapters.mqtt;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an MQTT CONNECT says about who the client is, as given to an {@link MqttAuthenticator}.
 *
 * @param clientId      the client identifier (the one the server assigned when the client sent none)
 * @param username      the user name, or {@code null}
 * @param password      the password decoded as UTF-8, or {@code null}
 * @param protocolLevel 4 for MQTT 3.1.1, 5 for MQTT 5
 */
public record MqttLogin(String clientId, String username, String password, int protocolLevel) {

  /** The user name that says "the password is a bearer token", whatever it looks like. */
  public static final String JWT_USERNAME = "jwt";

  /** @return whether the CONNECT carries a non-empty password */
  public boolean hasPassword() {
    return password != null && !password.isEmpty();
  }

  /**
   * @return whether the password is to be read as a bearer token: the user name is {@value #JWT_USERNAME}, or the
   * password is a compact JWS ({@code header.payload.signature} in base64url, the header a JSON object naming its
   * {@code alg})
   */
  public boolean passwordIsToken() {
    return hasPassword() && (JWT_USERNAME.equals(username) || looksLikeJwt(password));
  }

  /** @return whether {@code text} has the shape of a compact JWS; the signature is not checked here */
  public static boolean looksLikeJwt(String text) {
    if (text == null) {
      return false;
    }
    int first = text.indexOf('.');
    int second = first < 0 ? -1 : text.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || text.indexOf('.', second + 1) >= 0 || second == text.length() - 1) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c) && c < 128)) {
        return false;
      }
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(text.substring(0, first)),
        StandardCharsets.UTF_8));
      return header.getValue("alg") instanceof String;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  @Override
  public String toString() {
    // never log the password
    return "MqttLogin[clientId=" + clientId + ", username=" + username + ", password=" + (hasPassword() ? "***" : "none")
      + ", level=" + protocolLevel + "]";
  }
}
