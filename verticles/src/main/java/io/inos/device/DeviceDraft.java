package io.inos.device;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * A device to register.
 *
 * @param username  the MQTT user name: 1 to 200 characters, not {@code jwt} (that one says "the password is a
 *                  token")
 * @param password  its password: 8 to 72 bytes of UTF-8 (BCrypt reads no more than 72), not shaped like a JWT
 * @param userId    the user it acts as; {@code null} = {@code device_<username>}
 * @param roles     the roles it holds
 * @param campaigns the campaigns it joined
 * @param metadata  free-form data, or {@code null}
 * @param ownerId   the user who registers it and may manage it through the device service, or {@code null}
 */
public record DeviceDraft(String username, String password, String userId, Set<String> roles, Set<String> campaigns,
                          JsonObject metadata, String ownerId) {

  public DeviceDraft {
    if (username == null || username.isEmpty() || username.length() > 200) {
      throw new IllegalArgumentException("a device's user name must have 1 to 200 characters");
    }
    if (io.inos.adapters.mqtt.MqttLogin.JWT_USERNAME.equals(username)) {
      throw new IllegalArgumentException("'jwt' is the user name of token logins, not a device's");
    }
    int bytes = password == null ? 0 : password.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 8 || bytes > 72) {
      throw new IllegalArgumentException("a device's password must have 8 to 72 bytes of UTF-8, had " + bytes);
    }
    if (io.inos.adapters.mqtt.MqttLogin.looksLikeJwt(password)) {
      throw new IllegalArgumentException("a device's password must not look like a JWT: it would be read as a token");
    }
    userId = userId == null || userId.isEmpty() ? "device_" + username : userId;
    roles = Set.copyOf(Objects.requireNonNullElse(roles, Set.of()));
    campaigns = Set.copyOf(Objects.requireNonNullElse(campaigns, Set.of()));
    metadata = metadata == null ? new JsonObject() : metadata.copy();
    if (ownerId != null && ownerId.isEmpty()) {
      throw new IllegalArgumentException("a device's owner id must not be empty");
    }
  }

  /** A device without an owner: only admins manage it through the device service. */
  public DeviceDraft(String username, String password, String userId, Set<String> roles, Set<String> campaigns,
                     JsonObject metadata) {
    this(username, password, userId, roles, campaigns, metadata, null);
  }

  /** A device acting as {@code device_<username>}, with no roles and no campaigns. */
  public static DeviceDraft of(String username, String password) {
    return new DeviceDraft(username, password, null, Set.of(), Set.of(), null);
  }

  @Override
  public String toString() {
    // never the password
    return "DeviceDraft[username=" + username + ", userId=" + userId + ", ownerId=" + ownerId + ", roles=" + roles
      + "]";
  }
}
