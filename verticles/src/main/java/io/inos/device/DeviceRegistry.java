package io.inos.device;

import io.vertx.core.Future;

import java.util.Objects;

/**
 * Registers devices and turns them on and off: the password hashed on a worker thread, then stored. This is the way
 * to create devices for now (in code: an operator's tool, a test); a Nexus service with an admin-only rule would sit
 * on top of it.
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
