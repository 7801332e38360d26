package io.inos.adapters.bridge;

/**
 * The client end of a {@link BridgeSession}, implemented by a protocol adapter: where the session writes what goes to
 * the client. Everything a session sends passes its bounded outbound queue first (deliveries, notices and the
 * adapter's own frames given to {@link BridgeSession#write}), in order.
 *
 * <p>The session calls these methods on the context it was opened on (the connection's), one at a time; they must not
 * block. The session writes only while {@link #writable()} says so, and queues (bounded) otherwise.
 */
public interface DeliverySink {

  /**
   * Writes a delivery to the client. Use the delivery's shared encodings ({@link Delivery#json()},
   * {@link Delivery#encoded}) rather than encoding per client.
   */
  void deliver(Delivery delivery);

  /** Writes a frame the adapter gave to {@link BridgeSession#write} (a reply, a refusal). */
  void write(Object frame);

  /** Tells the client something the bridge decided: deliveries dropped, a subscription revoked. */
  void notice(BridgeNotice notice);

  /**
   * @return whether the transport takes more now; {@code false} when its own write queue is full (for a socket,
   * {@code !writeQueueFull()})
   */
  boolean writable();

  /**
   * Called once when the session opens: the adapter calls {@code onDrain} whenever the transport becomes writable
   * again after {@link #writable()} said {@code false} (for a socket, from its {@code drainHandler}).
   */
  void drainHandler(Runnable onDrain);

  /**
   * The bridge ends the session (slow consumer under {@link SlowConsumerPolicy#DISCONNECT}, bridge closed): close the
   * connection, with {@code reason} in the protocol's close frame or status where it has one. The session is already
   * closed when this is called; the adapter's own close handling may call {@link BridgeSession#close()} again, which
   * does nothing.
   */
  void close(BridgeError reason, String message);
}
