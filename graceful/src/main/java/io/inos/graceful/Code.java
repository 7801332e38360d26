package io.inos.graceful;

/**
 * The outcome codes of INOS: the gRPC status codes, each mapped once to the status or reason of every protocol
 * INOS speaks. A protocol edge never invents its own mapping; it asks the code.
 *
 * <ul>
 *   <li>HTTP: the mapping of {@code google.rpc.Code} (499 for a cancelled call).</li>
 *   <li>MQTT 5: {@link #mqttReasonCode()} is valid in PUBACK, PUBREC and DISCONNECT (where the outcome of a publish
 *   is reported); {@link #mqttConnackReasonCode()} and {@link #mqttSubackReasonCode()} give the code for CONNACK and
 *   SUBACK, whose sets of valid codes differ (MQTT 5.0, section 2.4 and 3.x.2).</li>
 *   <li>AMQP 1.0: the {@code amqp:*} error conditions of section 2.8.15 (AMQP has none for time-outs or
 *   unavailability, so those are {@code amqp:internal-error}).</li>
 * </ul>
 */
public enum Code {
  OK(0, 200, 0x00, null),
  CANCELLED(1, 499, 0x80, "amqp:internal-error"),
  UNKNOWN(2, 500, 0x80, "amqp:internal-error"),
  /** MQTT 0x99 Payload format invalid: the payload did not make a valid request. */
  INVALID_ARGUMENT(3, 400, 0x99, "amqp:invalid-field"),
  DEADLINE_EXCEEDED(4, 504, 0x80, "amqp:internal-error"),
  /** MQTT 0x83 Implementation specific error: MQTT has no "not found" for a publish. */
  NOT_FOUND(5, 404, 0x83, "amqp:not-found"),
  ALREADY_EXISTS(6, 409, 0x83, "amqp:not-allowed"),
  /** MQTT 0x87 Not authorized. */
  PERMISSION_DENIED(7, 403, 0x87, "amqp:unauthorized-access"),
  /** MQTT 0x97 Quota exceeded. */
  RESOURCE_EXHAUSTED(8, 429, 0x97, "amqp:resource-limit-exceeded"),
  FAILED_PRECONDITION(9, 400, 0x83, "amqp:precondition-failed"),
  ABORTED(10, 409, 0x83, "amqp:illegal-state"),
  OUT_OF_RANGE(11, 400, 0x83, "amqp:invalid-field"),
  UNIMPLEMENTED(12, 501, 0x83, "amqp:not-implemented"),
  INTERNAL(13, 500, 0x80, "amqp:internal-error"),
  /** MQTT 0x80 Unspecified error: 0x88 Server unavailable is valid only in CONNACK (see the CONNACK mapping). */
  UNAVAILABLE(14, 503, 0x80, "amqp:internal-error"),
  DATA_LOSS(15, 500, 0x80, "amqp:internal-error"),
  /** MQTT 0x87 Not authorized: 0x86 Bad user name or password is valid only in CONNACK (see the CONNACK mapping). */
  UNAUTHENTICATED(16, 401, 0x87, "amqp:unauthorized-access");

  /** MQTT 5 reason code 0x86 Bad User Name or Password (CONNACK only). */
  private static final int MQTT_BAD_USER_NAME_OR_PASSWORD = 0x86;
  /** MQTT 5 reason code 0x88 Server unavailable (CONNACK only). */
  private static final int MQTT_SERVER_UNAVAILABLE = 0x88;
  /** MQTT 5 reason code 0x8F Topic Filter invalid (SUBACK, UNSUBACK, DISCONNECT). */
  private static final int MQTT_TOPIC_FILTER_INVALID = 0x8F;
  /** MQTT 5 reason code 0x99 Payload format invalid (not valid in SUBACK). */
  private static final int MQTT_PAYLOAD_FORMAT_INVALID = 0x99;

  private static final Code[] BY_GRPC = new Code[17];

  static {
    for (Code c : values()) {
      BY_GRPC[c.grpc] = c;
    }
  }

  private final int grpc;
  private final int http;
  private final int mqtt;
  private final String amqp;

  Code(int grpc, int http, int mqtt, String amqp) {
    this.grpc = grpc;
    this.http = http;
    this.mqtt = mqtt;
    this.amqp = amqp;
  }

  /** @return the numeric gRPC status code ({@code grpc-status} trailer value) */
  public int grpcStatus() {
    return grpc;
  }

  /** @return the HTTP status an HTTP edge answers with */
  public int httpStatus() {
    return http;
  }

  /**
   * @return the MQTT 5 reason code of a PUBACK, PUBREC or DISCONNECT (0x00 for {@link #OK}, 0x80 and above for
   * failures); every value is valid in all three packets
   */
  public int mqttReasonCode() {
    return mqtt;
  }

  /**
   * @return the MQTT 5 reason code of a CONNACK: as {@link #mqttReasonCode()}, except 0x86 Bad User Name or Password
   * for {@link #UNAUTHENTICATED} and 0x88 Server unavailable for {@link #UNAVAILABLE}
   */
  public int mqttConnackReasonCode() {
    switch (this) {
      case UNAUTHENTICATED:
        return MQTT_BAD_USER_NAME_OR_PASSWORD;
      case UNAVAILABLE:
        return MQTT_SERVER_UNAVAILABLE;
      default:
        return mqtt;
    }
  }

  /**
   * @return the MQTT 5 reason code of one subscription in a SUBACK: as {@link #mqttReasonCode()}, except 0x8F Topic
   * Filter invalid where that is 0x99 (Payload format invalid is not a SUBACK code). A successful subscription
   * answers with its granted QoS instead, which the code cannot know.
   */
  public int mqttSubackReasonCode() {
    return mqtt == MQTT_PAYLOAD_FORMAT_INVALID ? MQTT_TOPIC_FILTER_INVALID : mqtt;
  }

  /** @return the AMQP 1.0 error condition, or {@code null} for {@link #OK} */
  public String amqpCondition() {
    return amqp;
  }

  /** @return whether this code means success */
  public boolean isOk() {
    return this == OK;
  }

  /**
   * @param grpcStatus a numeric gRPC status
   * @return the code, or {@link #UNKNOWN} for a number outside the catalogue (as gRPC itself does)
   */
  public static Code ofGrpcStatus(int grpcStatus) {
    return grpcStatus >= 0 && grpcStatus < BY_GRPC.length ? BY_GRPC[grpcStatus] : UNKNOWN;
  }

  /**
   * @param name a code name, case-insensitive, e.g. {@code "not_found"}
   * @return the code, or {@link #UNKNOWN} when no code has that name
   */
  public static Code ofName(String name) {
    if (name == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
