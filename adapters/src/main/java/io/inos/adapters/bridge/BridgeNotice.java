package io.inos.adapters.bridge;

/**
 * Something the bridge tells a client that is neither a delivery nor the answer to one of its operations. It travels
 * through the session's outbound queue like a delivery and reaches the adapter in {@link DeliverySink#notice}.
 *
 * @param kind      what happened
 * @param address   the subscription it concerns, or {@code null}
 * @param count     how many deliveries were dropped ({@link Kind#DROPPED}), or how many events were recovered
 *                  ({@link Kind#RECOVERY}); 0 otherwise
 * @param recovered for {@link Kind#RECOVERY}: whether the events that follow are everything the client missed
 *                  (Centrifugo's {@code recovered}); {@code false} for the other kinds
 * @param message   a sentence for people
 */
public record BridgeNotice(Kind kind, String address, long count, boolean recovered, String message) {

  /** The kinds of notices. */
  public enum Kind {
    /** Deliveries were dropped because the client read too slowly ({@link SlowConsumerPolicy#DROP_OLDEST}). */
    DROPPED("dropped"),
    /** A subscription was removed: the rules were reloaded, the identity changed or its token expired. */
    SUBSCRIPTION_REVOKED("subscription_revoked"),
    /**
     * The outcome of a subscription with recovery ({@link BridgeSession#subscribe(String, String)}): sent before
     * the recovered events and the live flow of the address.
     */
    RECOVERY("recovery");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** @return the wire code, e.g. {@code dropped} */
    public String code() {
      return code;
    }
  }

  public BridgeNotice(Kind kind, String address, long count, String message) {
    this(kind, address, count, false, message);
  }

  public static BridgeNotice dropped(long count) {
    return new BridgeNotice(Kind.DROPPED, null, count, count + (count == 1 ? " delivery was" : " deliveries were")
      + " dropped because this connection read too slowly");
  }

  public static BridgeNotice revoked(String address, String why) {
    return new BridgeNotice(Kind.SUBSCRIPTION_REVOKED, address, 0, "no longer subscribed to '" + address + "': " + why);
  }

  /** {@code count} missed events follow, and they are all the client missed. */
  public static BridgeNotice recovered(String address, long count) {
    return new BridgeNotice(Kind.RECOVERY, address, count, true, count + (count == 1 ? " missed event follows"
      : " missed events follow") + " on '" + address + "', then the live flow");
  }

  /** Nothing could be recovered: the client must read its state again another way; the live flow follows. */
  public static BridgeNotice notRecovered(String address, String why) {
    return new BridgeNotice(Kind.RECOVERY, address, 0, false, "nothing recovered on '" + address + "': " + why
      + "; read the state again, the live flow follows");
  }
}
