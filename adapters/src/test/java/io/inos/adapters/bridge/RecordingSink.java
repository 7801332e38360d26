package io.inos.adapters.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A protocol adapter in a few lines: it records what its session writes, and its "transport" is writable or not on
 * demand, as a socket whose client stopped reading.
 */
final class RecordingSink implements DeliverySink {

  final List<Object> written = new CopyOnWriteArrayList<>();
  volatile boolean writable = true;
  volatile BridgeError closedWith;
  private volatile Runnable onDrain;

  @Override
  public void deliver(Delivery delivery) {
    written.add(delivery);
  }

  @Override
  public void write(Object frame) {
    written.add(frame);
  }

  @Override
  public void notice(BridgeNotice notice) {
    written.add(notice);
  }

  @Override
  public boolean writable() {
    return writable;
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    this.onDrain = onDrain;
  }

  @Override
  public void close(BridgeError reason, String message) {
    closedWith = reason;
  }

  /** The transport drained: call on the session's context. */
  void drain() {
    writable = true;
    onDrain.run();
  }

  List<Delivery> deliveries() {
    List<Delivery> out = new ArrayList<>();
    for (Object o : written) {
      if (o instanceof Delivery d) {
        out.add(d);
      }
    }
    return out;
  }

  /** @return the first written item matching {@code wanted}, waiting up to 10 s */
  @SuppressWarnings("unchecked")
  <T> T await(Class<T> kind, Predicate<T> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Object o : written) {
        if (kind.isInstance(o) && wanted.test((T) o)) {
          return (T) o;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("nothing matching written within 10 s: " + written);
  }
}
