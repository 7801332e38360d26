package io.inos.adapters.bridge;

import java.util.Objects;

/**
 * A refusal by the bridge: the failure of a {@link BridgeSession} operation. The adapter turns it into its
 * protocol's error ({@link BridgeError#code()} and {@link #getMessage()}), and the connection stays open.
 */
public final class BridgeException extends RuntimeException {

  private final BridgeError error;

  public BridgeException(BridgeError error, String message) {
    super(message, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  public BridgeError error() {
    return error;
  }

  /** @return {@code failure} as a bridge refusal: itself when it is one, else {@code fallback} with its message */
  public static BridgeException of(Throwable failure, BridgeError fallback) {
    return failure instanceof BridgeException be ? be : new BridgeException(fallback, String.valueOf(failure.getMessage()));
  }

  @Override
  public String toString() {
    return error.code() + ": " + getMessage();
  }
}
