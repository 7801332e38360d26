package io.inos.adapters.bridge;

/**
 * Something the bridge tells a client that is neither a delivery nor the answer to one of its operations. It travels
 * through the session's outbound queue like a delivery and reaches the adapter in {@link DeliverySink#notice}.
 *
 * @param kind    what happened
 * @param address the subscription it concerns, or {@code null}
 * @param count   how many deliveries were dropped ({@link Kind#DROPPED}); 0 otherwise
 * @param message a sentence for people
 */
public record BridgeNotice(Kind kind, String address, long count, String message) {

  /** The kinds of notices. */
  public enum Kind {
    /** Deliveries were dropped because the client read too slowly ({@link SlowConsumerPolicy#DROP_OLDEST}). */
    DROPPED("dropped"),
    /** A subscription was removed: the rules were reloaded, the identity changed or its token expired. */
    SUBSCRIPTION_REVOKED("subscription_revoked");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** @return the wire code, e.g. {@code dropped} */
    public String code() {
      return code;
    }
  }

  public static BridgeNotice dropped(long count) {
    return new BridgeNotice(Kind.DROPPED, null, count, count + (count == 1 ? " delivery was" : " deliveries were")
      + " dropped because this connection read too slowly");
  }

  public static BridgeNotice revoked(String address, String why) {
    return new BridgeNotice(Kind.SUBSCRIPTION_REVOKED, address, 0, "no longer subscribed to '" + address + "': " + why);
  }
}
