package io.inos.nexus;

/**
 * The event-bus address scheme, in one place.
 * <ul>
 *   <li>an event type is the address of its subscribers, and a {@code :requested} type the inbox of its service;</li>
 *   <li>{@code user:{id}} reaches one user's clients, {@code campaign:{id}} everyone in a campaign, {@code system}
 *   everyone.</li>
 * </ul>
 */
public final class Addresses {

  public static final String SYSTEM = "system";
  public static final String USER_PREFIX = "user:";
  public static final String CAMPAIGN_PREFIX = "campaign:";

  private Addresses() {
  }

  /** @return the address of the subscribers of {@code type} (for {@code :requested}, the service inbox) */
  public static String of(EventType type) {
    return type.toString();
  }

  public static String user(String userId) {
    return USER_PREFIX + userId;
  }

  public static String campaign(String campaignId) {
    return CAMPAIGN_PREFIX + campaignId;
  }

  /**
   * The client-facing address an event is delivered to, following the original gateway's routing: the user
   * when the event names one, else its campaign, else none ({@code null}). {@code :requested} events are never
   * delivered to clients.
   */
  public static String scopeOf(Event event) {
    if (event.type().hasState(EventState.REQUESTED)) {
      return null;
    }
    String user = event.userId();
    if (user != null && !user.isEmpty()) {
      return user(user);
    }
    String campaign = event.campaignId();
    if (campaign != null && !campaign.isEmpty()) {
      return campaign(campaign);
    }
    return null;
  }
}
