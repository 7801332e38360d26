package io.inos.adapters.mqtt;

/**
 * An {@link MqttAuthenticator}'s refusal of a CONNECT, answered with the CONNACK code of its {@link Reason}.
 */
public final class MqttLoginRefused extends RuntimeException {

  /** Why a login is refused, and the CONNACK return code (3.1.1) / reason code (5) it gets. */
  public enum Reason {
    /** Unknown user name or wrong password: 0x04 / 0x86. */
    BAD_CREDENTIALS,
    /** Known and right, but not allowed in (e.g. a disabled device): 0x05 / 0x87. */
    NOT_AUTHORIZED,
    /** The credential store cannot answer now (e.g. the database is down): 0x03 / 0x88; the client may retry. */
    UNAVAILABLE
  }

  private final Reason reason;

  public MqttLoginRefused(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
