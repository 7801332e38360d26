package io.inos.server.health;

import java.util.Objects;

/**
 * A {@link ReadinessCheck} whose state the owning component sets as it learns it. Safe to set from any thread and to
 * read from any other.
 */
public final class ReadinessState implements ReadinessCheck {

  private final String name;
  // one volatile reference, so a reader never sees the status of one update with the reason of another
  private volatile Result current;

  /**
   * @param name           the dependency's name
   * @param initialReason  why it is not ready yet, e.g. {@code "starting"}
   */
  public ReadinessState(String name, String initialReason) {
    this.name = Objects.requireNonNull(name, "name");
    this.current = Result.down(initialReason);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Result current() {
    return current;
  }

  /**
   * Marks the dependency usable.
   *
   * @return whether this changed the state (callers log transitions, not every confirmation)
   */
  public boolean markUp() {
    return set(Result.up());
  }

  /**
   * Marks the dependency unusable.
   *
   * @param reason why; shown in {@code /ready}
   * @return whether this changed the state or its reason
   */
  public boolean markDown(String reason) {
    return set(Result.down(reason));
  }

  private boolean set(Result next) {
    Result previous = current;
    current = next;
    return !next.equals(previous);
  }

  @Override
  public String toString() {
    Result r = current;
    return name + (r.isUp() ? " UP" : " DOWN (" + r.reason() + ")");
  }
}
