package io.inos.nexus;

import java.util.Locale;

/** The states of an event's lifecycle, the last segment of a canonical event type. */
public enum EventState {
  REQUESTED, STARTED, SUCCESS, FAILED, COMPLETED, CANCELLED, TIMEOUT,
  /** Only in {@code {service}:health:v1:heartbeat}. */
  HEARTBEAT;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** @return the lower-case form used in event types */
  public String wire() {
    return wire;
  }

  /** @return the state, or {@code null} when {@code wire} names none */
  public static EventState ofWire(String wire) {
    if (wire == null) {
      return null;
    }
    switch (wire) {
      case "requested": return REQUESTED;
      case "started": return STARTED;
      case "success": return SUCCESS;
      case "failed": return FAILED;
      case "completed": return COMPLETED;
      case "cancelled": return CANCELLED;
      case "timeout": return TIMEOUT;
      case "heartbeat": return HEARTBEAT;
      default: return null;
    }
  }

  /** @return whether the state ends a lifecycle */
  public boolean isTerminal() {
    return this == SUCCESS || this == FAILED || this == COMPLETED || this == CANCELLED || this == TIMEOUT;
  }
}
