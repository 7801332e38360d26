package io.inos.device;

import io.inos.adapters.bridge.GuestIds;
import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.ActionRequest;

import java.util.Set;

/**
 * Who may manage which device through the device service: its owner (the user who registered it), and the admins.
 *
 * <p>The caller is the request's user id ({@code metadata.global_context.user_id}), which every door forces to the
 * authenticated client's own, so a client cannot act as another (server-side code on the Nexus is trusted, as
 * everywhere). Guests own nothing: their identity ends with their connection.
 *
 * <p>Admins are named by user id ({@code INOS_DEVICE_ADMINS}), not by role, because a request carries its sender's
 * user id, forced by the doors, but not its roles: a role written in an event would be the client's own word.
 */
final class DeviceAccess {

  private final Set<String> admins;

  DeviceAccess(Set<String> admins) {
    this.admins = Set.copyOf(admins);
  }

  /** @return the caller's user id; UNAUTHENTICATED without one, or for a guest */
  String caller(ActionRequest request) {
    String userId = request.userId();
    if (userId == null || userId.isEmpty()) {
      throw OutcomeException.of(Code.UNAUTHENTICATED, "devices are managed by signed-in users; the request names no "
        + "user");
    }
    if (GuestIds.isGuestId(userId)) {
      throw OutcomeException.of(Code.UNAUTHENTICATED, "devices are managed by signed-in users, not guests");
    }
    return userId;
  }

  boolean isAdmin(String caller) {
    return admins.contains(caller);
  }

  /** @throws OutcomeException PERMISSION_DENIED unless {@code caller} owns {@code device} or is an admin */
  void requireManager(String caller, Device device) {
    if (!caller.equals(device.ownerId()) && !isAdmin(caller)) {
      throw OutcomeException.of(Code.PERMISSION_DENIED, "only the owner of device '" + device.username()
        + "' or an admin may manage it");
    }
  }

  /** @throws OutcomeException PERMISSION_DENIED naming {@code field}, unless {@code caller} is an admin */
  void requireAdmin(String caller, String field, String why) {
    if (!isAdmin(caller)) {
      throw OutcomeException.of(Code.PERMISSION_DENIED, "field '" + field + "': " + why);
    }
  }
}
