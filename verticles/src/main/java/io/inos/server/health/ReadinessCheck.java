package io.inos.server.health;

import java.util.Objects;

/**
 * One dependency that {@code /ready} reports: PostgreSQL, later Redis, a broker, …
 *
 * <p>{@link #current()} is called on every {@code /ready} request from an event loop: it must return at once (a
 * component keeps its state up to date itself, e.g. in a {@link ReadinessState}, and never does I/O here).
 */
public interface ReadinessCheck {

  /** @return the dependency's name as shown in {@code /ready}, e.g. {@code postgresql} */
  String name();

  /** @return the latest known state; never {@code null} */
  Result current();

  /**
   * @return whether the node cannot serve without it ({@code true}, the default: {@code /ready} answers 503 while it
   * is down); a non-critical dependency that is down (Redis: the node serves from its local bus) makes the node
   * {@code DEGRADED}, still ready
   */
  default boolean critical() {
    return true;
  }

  /** @return a check of a non-critical dependency, named {@code name}, whose state {@code current} reports */
  static ReadinessCheck optional(String name, java.util.function.Supplier<Result> current) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result current() {
        return current.get();
      }

      @Override
      public boolean critical() {
        return false;
      }
    };
  }

  /** Whether a dependency can be used now. */
  enum Status { UP, DOWN }

  /**
   * A dependency's state.
   *
   * @param status UP or DOWN
   * @param reason why it is down (e.g. {@code connection refused 127.0.0.1:5432}); {@code null} when up
   */
  record Result(Status status, String reason) {

    private static final Result UP = new Result(Status.UP, null);

    /** @return whether the dependency can be used now */
    public boolean isUp() {
      return status == Status.UP;
    }

    /** @return the state of a usable dependency */
    public static Result up() {
      return UP;
    }

    /**
     * @param reason why the dependency cannot be used; shown to operators
     * @return the state of an unusable dependency
     */
    public static Result down(String reason) {
      return new Result(Status.DOWN, Objects.requireNonNull(reason, "reason"));
    }
  }
}
