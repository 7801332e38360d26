package io.inos.graceful;

/**
 * A failed {@link Outcome} as an exception, so it can fail a {@code Future} and cross protocol edges intact.
 * It carries no stack trace of its own: the outcome's cause, when there is one, has the interesting one.
 */
public final class OutcomeException extends RuntimeException {

  private final transient Outcome outcome;

  public OutcomeException(Outcome outcome) {
    super(outcome.code() + ": " + outcome.message(), outcome.cause(), false, false);
    if (outcome.isSuccess()) {
      throw new IllegalArgumentException("an OutcomeException needs a failure");
    }
    this.outcome = outcome;
  }

  /** Shorthand for {@code Outcome.failure(code, message).toException()}. */
  public static OutcomeException of(Code code, String message) {
    return new OutcomeException(Outcome.failure(code, message));
  }

  public Outcome outcome() {
    return outcome;
  }

  public Code code() {
    return outcome.code();
  }
}
