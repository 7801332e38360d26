package io.inos.campaign;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lifecycle state of a campaign and the moves between states:
 * <pre>
 *   draft  ──► active ◄──► paused
 *     │          │           │
 *     └──────────┴───────────┴──► archived (final)
 * </pre>
 * A draft is being prepared and goes live once ({@code active}); a live campaign can be paused and resumed; any
 * campaign can be archived, and an archived one never changes state again. A move to the state a campaign is
 * already in is accepted and changes nothing, so a retried request succeeds.
 */
public enum CampaignState {
  DRAFT, ACTIVE, PAUSED, ARCHIVED;

  /** The state of a new campaign when its creator names none. */
  public static final CampaignState INITIAL = DRAFT;

  /** @return the wire name, lower case */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the states this one may move to, itself excluded */
  public Set<CampaignState> next() {
    return switch (this) {
      case DRAFT -> EnumSet.of(ACTIVE, ARCHIVED);
      case ACTIVE -> EnumSet.of(PAUSED, ARCHIVED);
      case PAUSED -> EnumSet.of(ACTIVE, ARCHIVED);
      case ARCHIVED -> EnumSet.noneOf(CampaignState.class);
    };
  }

  /** @return whether a campaign in this state may be put in {@code target} (always true for itself) */
  public boolean canMoveTo(CampaignState target) {
    return target == this || next().contains(target);
  }

  /**
   * @param wire a state name as sent by a client, exactly lower case
   * @return the state, or {@code null} when no state has that name
   */
  public static CampaignState ofWire(String wire) {
    for (CampaignState s : values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    return null;
  }

  /** @return the wire names of every state, for messages: "draft, active, paused, archived" */
  public static String names() {
    return EnumSet.allOf(CampaignState.class).stream().map(CampaignState::wire).collect(Collectors.joining(", "));
  }
}
