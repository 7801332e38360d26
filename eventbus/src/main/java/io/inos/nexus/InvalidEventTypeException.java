package io.inos.nexus;

/** An event type that does not follow the grammar; the message says what is wrong. */
public final class InvalidEventTypeException extends IllegalArgumentException {

  private final String type;

  public InvalidEventTypeException(String type, String reason) {
    super("invalid event type '" + type + "': " + reason);
    this.type = type;
  }

  /** @return the rejected type as given */
  public String type() {
    return type;
  }
}
