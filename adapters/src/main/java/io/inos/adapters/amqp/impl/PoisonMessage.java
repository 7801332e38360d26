package io.inos.adapters.amqp.impl;

/**
 * A broker message that can never become an event: retrying it would fail the same way, so it is dead-lettered
 * with {@link #reason()} (a stable code, the {@code x-inos-reason} header) and {@link #getMessage()} (the detail,
 * {@code x-inos-reason-detail}).
 */
public final class PoisonMessage extends Exception {

  /** The body is larger than the binding's maxMessageBytes. */
  public static final String TOO_LARGE = "too_large";
  /** The body is not JSON, and the binding requires JSON. */
  public static final String BAD_JSON = "bad_json";
  /** The event type (envelope {@code type}, AMQP {@code type} property) does not follow the grammar. */
  public static final String BAD_TYPE = "bad_type";
  /** A canonical envelope with a field of the wrong shape. */
  public static final String BAD_ENVELOPE = "bad_envelope";
  /** Not an envelope, and neither the message nor the binding names a type. */
  public static final String NO_TYPE = "no_type";
  /** The Nexus refused the event (it threw when publishing it). */
  public static final String REFUSED = "refused";

  private final String reason;

  public PoisonMessage(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
