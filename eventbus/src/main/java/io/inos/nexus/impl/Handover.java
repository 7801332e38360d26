package io.inos.nexus.impl;

import io.inos.graceful.OutcomeContext;
import io.inos.nexus.Event;
import io.vertx.core.json.JsonObject;

/**
 * Not API: how the service host reaches the parts of {@code io.inos.nexus} that take JSON over without copying it.
 *
 * <p>Events copy the JSON they are given, so no holder can change what another sees. The host makes JSON for one
 * event alone (the copy of a handler's result, say) and would pay for a second copy that protects nothing; the
 * package-private paths of {@code io.inos.nexus} avoid it, and this class lets {@code impl} call them without
 * making them public. {@code io.inos.nexus.Outcomes} installs the one implementation when it is loaded; the methods
 * are protected, so only this package can call them.
 */
public abstract class Handover {

  private static final String OUTCOMES = "io.inos.nexus.Outcomes";
  private static volatile Handover installed;

  protected Handover() {
  }

  /**
   * Installs the implementation; only {@code io.inos.nexus.Outcomes} does so, once.
   *
   * @throws IllegalStateException when one is installed already
   */
  public static synchronized void install(Handover handover) {
    if (installed != null) {
      throw new IllegalStateException("the Nexus handover is installed already");
    }
    installed = handover;
  }

  static Handover get() {
    Handover h = installed;
    if (h == null) {
      try {
        Class.forName(OUTCOMES, true, Handover.class.getClassLoader()); // its initialiser installs it
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      h = installed;
    }
    return h;
  }

  /**
   * The outcome event of a pipeline run, as {@code Outcomes.outcomeEvent}, but with {@code result} (for a success)
   * taken as it is: the caller made it for this event and the context's outcome, and never changes it.
   */
  protected abstract Event outcomeEvent(Event requested, OutcomeContext ctx, JsonObject result, String source);
}
