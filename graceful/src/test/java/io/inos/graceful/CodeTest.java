package io.inos.graceful;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol mappings of every code, checked one by one against the intended table, and against the sets of
 * reason codes and conditions the MQTT 5 and AMQP 1.0 specifications allow.
 */
class CodeTest {

  /*
   * MQTT 5.0, section 2.4 and the reason-code tables of 3.2.2.2 (CONNACK), 3.4.2.1 (PUBACK), 3.5.2.1 (PUBREC),
   * 3.9.3 (SUBACK) and 3.14.2.1 (DISCONNECT): the failure codes each packet may carry.
   */
  private static final Set<Integer> MQTT_PUBACK = Set.of(0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
  private static final Set<Integer> MQTT_DISCONNECT = Set.of(0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E,
    0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);
  private static final Set<Integer> MQTT_CONNACK = Set.of(0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
  private static final Set<Integer> MQTT_SUBACK = Set.of(0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);

  /* AMQP 1.0, section 2.8.15 (amqp-error), the conditions that are not about connections, sessions or links. */
  private static final Set<String> AMQP_ERRORS = Set.of("amqp:internal-error", "amqp:not-found",
    "amqp:unauthorized-access", "amqp:decode-error", "amqp:resource-limit-exceeded", "amqp:not-allowed",
    "amqp:invalid-field", "amqp:not-implemented", "amqp:resource-locked", "amqp:precondition-failed",
    "amqp:resource-deleted", "amqp:illegal-state", "amqp:frame-size-too-small");

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "-", value = {
    // code,              grpc, http, mqtt, connack, suback, amqp
    "OK,                   0,  200, 0x00, 0x00, 0x00, -",
    "CANCELLED,            1,  499, 0x80, 0x80, 0x80, amqp:internal-error",
    "UNKNOWN,              2,  500, 0x80, 0x80, 0x80, amqp:internal-error",
    "INVALID_ARGUMENT,     3,  400, 0x99, 0x99, 0x8F, amqp:invalid-field",
    "DEADLINE_EXCEEDED,    4,  504, 0x80, 0x80, 0x80, amqp:internal-error",
    "NOT_FOUND,            5,  404, 0x83, 0x83, 0x83, amqp:not-found",
    "ALREADY_EXISTS,       6,  409, 0x83, 0x83, 0x83, amqp:not-allowed",
    "PERMISSION_DENIED,    7,  403, 0x87, 0x87, 0x87, amqp:unauthorized-access",
    "RESOURCE_EXHAUSTED,   8,  429, 0x97, 0x97, 0x97, amqp:resource-limit-exceeded",
    "FAILED_PRECONDITION,  9,  400, 0x83, 0x83, 0x83, amqp:precondition-failed",
    "ABORTED,             10,  409, 0x83, 0x83, 0x83, amqp:illegal-state",
    "OUT_OF_RANGE,        11,  400, 0x83, 0x83, 0x83, amqp:invalid-field",
    "UNIMPLEMENTED,       12,  501, 0x83, 0x83, 0x83, amqp:not-implemented",
    "INTERNAL,            13,  500, 0x80, 0x80, 0x80, amqp:internal-error",
    "UNAVAILABLE,         14,  503, 0x80, 0x88, 0x80, amqp:internal-error",
    "DATA_LOSS,           15,  500, 0x80, 0x80, 0x80, amqp:internal-error",
    "UNAUTHENTICATED,     16,  401, 0x87, 0x86, 0x87, amqp:unauthorized-access",
  })
  void mapsEachCodeToEveryProtocol(Code code, int grpc, int http, String mqtt, String connack, String suback,
                                   String amqp) {
    assertEquals(grpc, code.grpcStatus(), "gRPC status");
    assertEquals(http, code.httpStatus(), "HTTP status");
    assertEquals(Integer.decode(mqtt), code.mqttReasonCode(), "MQTT 5 reason code (PUBACK/PUBREC/DISCONNECT)");
    assertEquals(Integer.decode(connack), code.mqttConnackReasonCode(), "MQTT 5 CONNACK reason code");
    assertEquals(Integer.decode(suback), code.mqttSubackReasonCode(), "MQTT 5 SUBACK reason code");
    assertEquals(amqp, code.amqpCondition(), "AMQP 1.0 condition");
  }

  @Test
  void theTableCoversEveryCodeOnce() {
    // the parameterised table above lists 17 rows; a new code must be added there too
    assertEquals(17, Code.values().length);
  }

  @ParameterizedTest
  @EnumSource(value = Code.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
  void failureCodesAreValidWhereTheyAreSent(Code code) {
    assertTrue(MQTT_PUBACK.contains(code.mqttReasonCode()), "PUBACK/PUBREC cannot carry " + hex(code.mqttReasonCode()));
    assertTrue(MQTT_DISCONNECT.contains(code.mqttReasonCode()),
      "DISCONNECT cannot carry " + hex(code.mqttReasonCode()));
    assertTrue(MQTT_CONNACK.contains(code.mqttConnackReasonCode()),
      "CONNACK cannot carry " + hex(code.mqttConnackReasonCode()));
    assertTrue(MQTT_SUBACK.contains(code.mqttSubackReasonCode()),
      "SUBACK cannot carry " + hex(code.mqttSubackReasonCode()));
    assertTrue(AMQP_ERRORS.contains(code.amqpCondition()), code.amqpCondition() + " is no AMQP 1.0 condition");
    assertTrue(code.httpStatus() >= 400 && code.httpStatus() <= 599, "HTTP failure status");
    assertFalse(code.isOk());
  }

  @Test
  void okIsTheOnlySuccess() {
    assertTrue(Code.OK.isOk());
    assertNull(Code.OK.amqpCondition());
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void findsEachCodeByItsGrpcStatusAndName(Code code) {
    assertSame(code, Code.ofGrpcStatus(code.grpcStatus()));
    assertSame(code, Code.ofName(code.name().toLowerCase()));
    assertSame(code, Code.ofName(" " + code.name() + " "));
  }

  @Test
  void unknownNumbersAndNamesAreUnknown() {
    assertSame(Code.UNKNOWN, Code.ofGrpcStatus(17));
    assertSame(Code.UNKNOWN, Code.ofGrpcStatus(-1));
    assertSame(Code.UNKNOWN, Code.ofName("no_such_code"));
    assertSame(Code.UNKNOWN, Code.ofName(null));
  }

  private static String hex(int value) {
    return String.format("0x%02X", value);
  }
}
