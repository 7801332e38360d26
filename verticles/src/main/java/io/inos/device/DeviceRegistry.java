package io.inos.device;

import io.vertx.core.Future;

import java.util.Objects;

/**
 * Registers devices and turns them on and off in code (an operator's tool, a test): the password, of the caller's
 * choice, hashed on a worker thread, then stored. Users register theirs through the device service
 * ({@link DeviceVerticle}), which also owns them and ends a disabled device's connections; this class does neither.
 */
public final class DeviceRegistry {

  private final DeviceRepository repository;
  private final DevicePasswords passwords;

  public DeviceRegistry(DeviceRepository repository, DevicePasswords passwords) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
  }

  /** @return the stored device; ALREADY_EXISTS when the user name is taken */
  public Future<Device> register(DeviceDraft draft) {
    return passwords.hash(draft.password()).compose(hash -> repository.insert(draft, hash));
  }

  /** @return the device, now disabled or enabled; NOT_FOUND when there is none */
  public Future<Device> setEnabled(String username, boolean enabled) {
    return repository.setEnabled(username, enabled);
  }

  public DeviceRepository repository() {
    return repository;
  }
}
