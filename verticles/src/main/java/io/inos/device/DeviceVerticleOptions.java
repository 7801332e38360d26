package io.inos.device;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Options of {@link DeviceVerticle}.
 *
 * <p>JSON (the defaults shown): {@code {"adminUserIds": [], "passwordCost": 10, "handlerTimeoutMs": 0}}.
 */
public class DeviceVerticleOptions {

  /** Default longest time an action may run: 0, the Nexus's own handler timeout. */
  public static final long DEFAULT_HANDLER_TIMEOUT_MS = 0;

  private final Set<String> adminUserIds = new LinkedHashSet<>();
  private int passwordCost = DevicePasswords.DEFAULT_COST;
  private long handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS;

  /** Options with the defaults: no admin, so every device is managed by its owner only. */
  public DeviceVerticleOptions() {
  }

  /** @param other options to copy */
  public DeviceVerticleOptions(DeviceVerticleOptions other) {
    this.adminUserIds.addAll(other.adminUserIds);
    this.passwordCost = other.passwordCost;
    this.handlerTimeoutMs = other.handlerTimeoutMs;
  }

  /**
   * @param json options as produced by {@link #toJson()}; absent fields keep their defaults
   * @throws IllegalArgumentException naming the key of a bad value
   */
  public DeviceVerticleOptions(JsonObject json) {
    JsonArray admins = json.getJsonArray("adminUserIds", new JsonArray());
    for (int i = 0; i < admins.size(); i++) {
      if (!(admins.getValue(i) instanceof String id) || id.isEmpty()) {
        throw new IllegalArgumentException("adminUserIds[" + i + "] must be a user id (a non-empty string)");
      }
      adminUserIds.add(id);
    }
    setPasswordCost(json.getInteger("passwordCost", DevicePasswords.DEFAULT_COST));
    setHandlerTimeoutMs(json.getLong("handlerTimeoutMs", DEFAULT_HANDLER_TIMEOUT_MS));
  }

  /** @return the options as JSON */
  public JsonObject toJson() {
    return new JsonObject()
      .put("adminUserIds", new JsonArray(java.util.List.copyOf(adminUserIds)))
      .put("passwordCost", passwordCost)
      .put("handlerTimeoutMs", handlerTimeoutMs);
  }

  /** @return the users who may manage every device (besides each device's owner) */
  public Set<String> getAdminUserIds() {
    return Set.copyOf(adminUserIds);
  }

  /**
   * @param adminUserIds the users who may manage every device, register devices for others, and give devices
   *                     another identity, roles or campaigns
   * @return this
   */
  public DeviceVerticleOptions setAdminUserIds(Set<String> adminUserIds) {
    this.adminUserIds.clear();
    this.adminUserIds.addAll(adminUserIds);
    return this;
  }

  /** @return BCrypt's cost for the secrets of registered devices */
  public int getPasswordCost() {
    return passwordCost;
  }

  /**
   * @param passwordCost BCrypt's cost, 4 to 31 (each step doubles the time of a hash and of every login check)
   * @return this
   */
  public DeviceVerticleOptions setPasswordCost(int passwordCost) {
    if (passwordCost < 4 || passwordCost > 31) {
      throw new IllegalArgumentException("passwordCost must be 4 to 31, not " + passwordCost);
    }
    this.passwordCost = passwordCost;
    return this;
  }

  /** @return the longest an action may run before it fails with DEADLINE_EXCEEDED; 0 = the Nexus default */
  public long getHandlerTimeoutMs() {
    return handlerTimeoutMs;
  }

  /**
   * @param handlerTimeoutMs the longest an action may run; 0 = the Nexus default
   * @return this
   */
  public DeviceVerticleOptions setHandlerTimeoutMs(long handlerTimeoutMs) {
    if (handlerTimeoutMs < 0) {
      throw new IllegalArgumentException("handlerTimeoutMs must be 0 or more, not " + handlerTimeoutMs);
    }
    this.handlerTimeoutMs = handlerTimeoutMs;
    return this;
  }
}
