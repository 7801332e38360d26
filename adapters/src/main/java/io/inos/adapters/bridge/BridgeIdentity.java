package io.inos.adapters.bridge;

import java.util.Objects;
import java.util.Set;

/**
 * Who is on the other end of a connection, as the permission rules see it.
 *
 * @param userId the user the connection acts as ({@code guest_…} for an anonymous browser), or {@code null}
 * @param guest  whether the identity is an anonymous guest
 * @param roles  the roles (authorities) it holds; guests hold none
 */
public record BridgeIdentity(String userId, boolean guest, Set<String> roles) {

  /** No user and no roles: only rules without {@code {user_id}} and without a required role match it. */
  public static final BridgeIdentity ANONYMOUS = new BridgeIdentity(null, false, Set.of());

  public BridgeIdentity {
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
  }

  /**
   * @param guestId a guest id ({@link GuestIds#isGuestId})
   * @return the identity of an anonymous guest
   */
  public static BridgeIdentity guest(String guestId) {
    if (!GuestIds.isGuestId(guestId)) {
      throw new IllegalArgumentException("'" + guestId + "' is not a guest id (guest_ + 32 lower-case hex digits)");
    }
    return new BridgeIdentity(guestId, true, Set.of());
  }

  /** @return whether this identity holds {@code role} */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
