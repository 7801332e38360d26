package io.inos.adapters.bridge;

import java.util.Objects;
import java.util.Set;

/**
 * Who is on the other end of a connection, as the permission rules see it.
 *
 * @param userId    the user the connection acts as ({@code guest_…} for an anonymous browser, the token's {@code sub}
 *                  for a signed-in user), or {@code null}
 * @param guest     whether the identity is an anonymous guest
 * @param roles     the roles (authorities) it holds; guests hold none
 * @param campaigns the campaigns it joined (the token's {@code campaigns} claim); guests joined none and receive only
 *                  the public campaigns of the rules
 * @param expiresAt when the identity ends, in seconds since the epoch (the token's {@code exp}); 0 = never
 */
public record BridgeIdentity(String userId, boolean guest, Set<String> roles, Set<String> campaigns, long expiresAt) {

  /** No user and no roles: only rules without {@code {user_id}} and without a required role match it. */
  public static final BridgeIdentity ANONYMOUS = new BridgeIdentity(null, false, Set.of());

  public BridgeIdentity {
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    campaigns = Set.copyOf(Objects.requireNonNull(campaigns, "campaigns"));
  }

  /** An identity that joined no campaign and never expires. */
  public BridgeIdentity(String userId, boolean guest, Set<String> roles) {
    this(userId, guest, roles, Set.of(), 0);
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

  /** @return a signed-in user */
  public static BridgeIdentity user(String userId, Set<String> roles, Set<String> campaigns, long expiresAt) {
    if (userId == null || userId.isEmpty()) {
      throw new IllegalArgumentException("a user needs an id");
    }
    return new BridgeIdentity(userId, false, roles, campaigns, expiresAt);
  }

  /** @return whether this identity holds {@code role} */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** @return whether this identity joined the campaign {@code campaignId} */
  public boolean joined(String campaignId) {
    return campaigns.contains(campaignId);
  }

  /** @return whether the identity has ended at {@code nowSeconds} (seconds since the epoch) */
  public boolean expired(long nowSeconds) {
    return expiresAt > 0 && nowSeconds >= expiresAt;
  }
}
