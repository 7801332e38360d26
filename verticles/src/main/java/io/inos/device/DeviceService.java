package io.inos.device;

import io.inos.campaign.RequestFields;
import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.ActionRequest;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The device service ({@code device:{action}:v1:requested}): signed-in users register MQTT devices and turn them off
 * and on; the actions and their rules are described in the {@linkplain io.inos.device package description}.
 */
public final class DeviceService {

  /** The service name: the first part of its event types. */
  public static final String NAME = "device";
  static final int MAX_USERNAME = 200;
  static final int MAX_USER_ID = 200;
  static final int MAX_ROLES = 50;
  static final int MAX_ROLE = 100;
  static final int MAX_CAMPAIGNS = 100;
  static final int MAX_CAMPAIGN = 64;
  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;

  private final DeviceRepository repository;
  private final DevicePasswords passwords;
  private final DeviceAccess access;

  DeviceService(DeviceRepository repository, DevicePasswords passwords, DeviceAccess access) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.access = Objects.requireNonNull(access, "access");
  }

  /**
   * @param handlerTimeoutMs the longest an action may run; 0 = the Nexus default
   * @return the service with every action
   */
  public ServiceDefinition definition(long handlerTimeoutMs) {
    return ServiceDefinition.builder(NAME)
      .action("register_device", this::registerDevice)
      .action("disable_device", request -> setEnabled(request, false))
      .action("enable_device", request -> setEnabled(request, true))
      .action("list_devices", this::listDevices)
      .handlerTimeoutMs(handlerTimeoutMs)
      .build();
  }

  /**
   * A new device owned by the caller, with a secret made here: the answer is the only place it is ever shown.
   * Only an admin gives a device another user's identity, roles or campaigns (the device acts with them on the
   * bridge), or registers it for another owner.
   */
  Future<JsonObject> registerDevice(ActionRequest request) {
    String caller = access.caller(request);
    RequestFields f = RequestFields.of(request.data());
    String username = f.requiredString("username", MAX_USERNAME);
    String userId = f.string("user_id", MAX_USER_ID);
    List<String> roles = f.strings("roles", MAX_ROLES, MAX_ROLE);
    List<String> campaigns = f.strings("campaigns", MAX_CAMPAIGNS, MAX_CAMPAIGN);
    String ownerId = f.string("owner_id", MAX_USER_ID);
    if (userId != null && !userId.isEmpty() && !userId.equals(caller)) {
      access.requireAdmin(caller, "user_id", "a device acts as its owner's user or as a device user of its own; "
        + "only an admin gives it another user's identity");
    }
    if (roles != null && !roles.isEmpty()) {
      access.requireAdmin(caller, "roles", "only an admin gives a device roles");
    }
    if (campaigns != null && !campaigns.isEmpty()) {
      access.requireAdmin(caller, "campaigns", "only an admin makes a device a member of campaigns");
    }
    if (ownerId != null && !ownerId.equals(caller)) {
      access.requireAdmin(caller, "owner_id", "only an admin registers a device for another user");
    }
    String secret = DeviceSecrets.newSecret();
    DeviceDraft draft;
    try {
      draft = new DeviceDraft(username, secret, userId, roles == null ? null : new HashSet<>(roles),
        campaigns == null ? null : new HashSet<>(campaigns), f.object("metadata"), ownerId == null ? caller : ownerId);
    } catch (IllegalArgumentException e) {
      throw OutcomeException.of(Code.INVALID_ARGUMENT, e.getMessage());
    }
    return passwords.hash(secret)
      .compose(hash -> repository.insert(draft, hash))
      .map(device -> new JsonObject()
        .put("device_id", Long.toString(device.id()))
        .put("device", device.toJson())
        .put(DeviceSecrets.FIELD, secret));
  }

  /** disable_device / enable_device: by {@code device_id} or {@code username}, for its owner or an admin. */
  Future<JsonObject> setEnabled(ActionRequest request, boolean enabled) {
    String caller = access.caller(request);
    return find(RequestFields.of(request.data()))
      .compose(device -> {
        access.requireManager(caller, device);
        return repository.setEnabled(device.id(), enabled);
      })
      .map(device -> new JsonObject().put("device", device.toJson()));
  }

  /**
   * The caller's devices, newest first; an admin lists another owner's with {@code owner_id}, or every device with
   * {@code "all": true}.
   */
  Future<JsonObject> listDevices(ActionRequest request) {
    String caller = access.caller(request);
    RequestFields f = RequestFields.of(request.data());
    String ownerId = f.string("owner_id", MAX_USER_ID);
    boolean all = Boolean.TRUE.equals(f.bool("all"));
    if (all) {
      access.requireAdmin(caller, "all", "only an admin lists every device");
    } else if (ownerId != null && !ownerId.equals(caller)) {
      access.requireAdmin(caller, "owner_id", "only an admin lists another user's devices");
    }
    int page = bounded(f, "page", Integer.MAX_VALUE, 1);
    int pageSize = bounded(f, "page_size", MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    return repository.list(all ? null : ownerId == null ? caller : ownerId, page, pageSize).map(found -> {
      JsonArray devices = new JsonArray();
      found.devices().forEach(d -> devices.add(d.toJson()));
      return new JsonObject()
        .put("devices", devices)
        .put("total_count", found.totalCount())
        .put("page", page)
        .put("page_size", pageSize)
        .put("total_pages", (found.totalCount() + pageSize - 1) / pageSize);
    });
  }

  private Future<Device> find(RequestFields f) {
    Long id = f.integer("device_id");
    if (id != null) {
      return repository.find(id);
    }
    String username = f.string("username", MAX_USERNAME);
    if (username == null || username.isEmpty()) {
      throw OutcomeException.of(Code.INVALID_ARGUMENT, "field 'device_id' or 'username' is required");
    }
    return repository.find(username);
  }

  /** @return the integer field, 1 to {@code max}; absent or 0 = {@code otherwise} */
  private static int bounded(RequestFields f, String field, int max, int otherwise) {
    Long n = f.integer(field);
    if (n != null && (n < 0 || n > max)) {
      throw f.invalid(field, "must be between 1 and " + max + " (0 or absent means " + otherwise + "), not " + n);
    }
    return n == null || n == 0 ? otherwise : n.intValue();
  }
}
