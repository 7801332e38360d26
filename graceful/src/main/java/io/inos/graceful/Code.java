package io.inos.graceful;

/**
 * The outcome codes of INOS: the gRPC status codes, each mapped once to the status or reason of every protocol
 * INOS speaks. A protocol edge never invents its own mapping; it asks the code.
 *
 * <p>MQTT 5 reason codes are those valid in PUBACK/PUBREC/SUBACK/DISCONNECT; AMQP conditions are AMQP 1.0
 * error conditions ({@code amqp:*}).
 */
public enum Code {
  OK(0, 200, 0x00, null),
  CANCELLED(1, 499, 0x80, "amqp:internal-error"),
  UNKNOWN(2, 500, 0x80, "amqp:internal-error"),
  INVALID_ARGUMENT(3, 400, 0x99, "amqp:invalid-field"),
  DEADLINE_EXCEEDED(4, 504, 0x80, "amqp:internal-error"),
  NOT_FOUND(5, 404, 0x83, "amqp:not-found"),
  ALREADY_EXISTS(6, 409, 0x83, "amqp:not-allowed"),
  PERMISSION_DENIED(7, 403, 0x87, "amqp:unauthorized-access"),
  RESOURCE_EXHAUSTED(8, 429, 0x97, "amqp:resource-limit-exceeded"),
  FAILED_PRECONDITION(9, 400, 0x83, "amqp:precondition-failed"),
  ABORTED(10, 409, 0x83, "amqp:illegal-state"),
  OUT_OF_RANGE(11, 400, 0x83, "amqp:invalid-field"),
  UNIMPLEMENTED(12, 501, 0x83, "amqp:not-implemented"),
  INTERNAL(13, 500, 0x80, "amqp:internal-error"),
  UNAVAILABLE(14, 503, 0x88, "amqp:internal-error"),
  DATA_LOSS(15, 500, 0x80, "amqp:internal-error"),
  UNAUTHENTICATED(16, 401, 0x86, "amqp:unauthorized-access");

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

  /** @return the MQTT 5 reason code (0x00 for {@link #OK}, 0x80 and above for failures) */
  public int mqttReasonCode() {
    return mqtt;
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
