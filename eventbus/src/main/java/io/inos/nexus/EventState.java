package io.inos.nexus;

import java.util.Locale;

/** The states of an event's lifecycle, the last segment of a canonical event type. */
public enum EventState {
  REQUESTED, STARTED, SUCCESS, FAILED, COMPLETED, CANCELLED, TIMEOUT,
  /** Only in {@code {service}:health:v1:heartbeat}. */
  HEARTBEAT;

  /** @return the lower-case form used in event types */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the state, or {@code null} when {@code wire} names none */
  public static EventState ofWire(String wire) {
    for (EventState s : values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    return null;
  }

  /** @return whether the state ends a lifecycle */
  public boolean isTerminal() {
    return this == SUCCESS || this == FAILED || this == COMPLETED || this == CANCELLED || this == TIMEOUT;
  }
}
