package io.inos.nexus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTypeTest {

  @ParameterizedTest
  @CsvSource({
    "content:create_content:v1:requested, content,  create_content, 1,    REQUESTED",
    "campaign:create_campaign:v1:started, campaign, create_campaign, 1,   STARTED",
    "user:get_user:v2:success,            user,     get_user,       2,    SUCCESS",
    "user:get_user:v10:failed,            user,     get_user,       10,   FAILED",
    "scheduler:run_job:v1:completed,      scheduler, run_job,       1,    COMPLETED",
    "scheduler:run_job:v1:cancelled,      scheduler, run_job,       1,    CANCELLED",
    "a:b2_c:v9999:timeout,                a,        b2_c,           9999, TIMEOUT",
  })
  void parsesCanonicalTypes(String text, String service, String action, int version, EventState state) {
    EventType type = EventType.parse(text);
    assertSame(EventType.Kind.CANONICAL, type.kind());
    assertEquals(service, type.service());
    assertEquals(action, type.action());
    assertEquals(version, type.version());
    assertSame(state, type.state());
    assertEquals(text, type.toString());
    assertEquals(type, EventType.of(service, action, version, state));
    assertTrue(EventType.isValid(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"requested", "success", "failed", "heartbeat"})
  void parsesHealthEvents(String state) {
    EventType type = EventType.parse("user:health:v1:" + state);
    assertSame(EventType.Kind.HEALTH, type.kind());
    assertEquals("user", type.service());
    assertEquals("health", type.action());
    assertSame(EventState.ofWire(state), type.state());
  }

  @Test
  void parsesEcho() {
    assertSame(EventType.ECHO, EventType.parse("echo"));
    assertSame(EventType.Kind.ECHO, EventType.ECHO.kind());
    assertNull(EventType.ECHO.state());
    assertThrows(IllegalStateException.class, () -> EventType.ECHO.withState(EventState.SUCCESS));
  }

  @ParameterizedTest
  @CsvSource({"campaign:switch:required, switch", "campaign:switch, switch", "campaign:state_changed, state_changed"})
  void parsesCampaignControlEvents(String text, String name) {
    EventType type = EventType.parse(text);
    assertSame(EventType.Kind.CAMPAIGN_CONTROL, type.kind());
    assertEquals("campaign", type.service());
    assertEquals(name, type.action());
    assertNull(type.state());
    assertFalse(type.hasState(EventState.REQUESTED));
  }

  @Test
  void campaignServiceEventsAreCanonical() {
    EventType type = EventType.parse("campaign:create_campaign:v1:requested");
    assertSame(EventType.Kind.CANONICAL, type.kind());
    assertSame(EventState.REQUESTED, type.state());
  }

  @Test
  void movesThroughTheLifecycle() {
    EventType requested = EventType.parse("content:create_content:v3:requested");
    assertEquals("content:create_content:v3:started", requested.withState(EventState.STARTED).toString());
    assertEquals("content:create_content:v3:failed", requested.withState(EventState.FAILED).toString());
    assertEquals(EventType.parse("user:health:v1:success"),
      EventType.parse("user:health:v1:requested").withState(EventState.SUCCESS));
  }

  @Test
  void lifecycleSiblingsAreMadeOnceAndShared() {
    EventType requested = EventType.parse("content:create_content:v3:requested");
    EventType success = requested.withState(EventState.SUCCESS);
    assertSame(success, requested.withState(EventState.SUCCESS));
    assertSame(requested, requested.withState(EventState.REQUESTED));
    assertSame(requested, success.withState(EventState.REQUESTED), "the family shares its siblings");
    assertSame(requested, EventType.parse("content:create_content:v3:requested"), "parsing is cached");
    assertEquals(EventType.parse("content:create_content:v3:success"), success);
  }

  @Test
  void siblingsOutsideTheGrammarAreRefusedAsParsingWouldRefuseThem() {
    InvalidEventTypeException health = assertThrows(InvalidEventTypeException.class,
      () -> EventType.parse("user:health:v1:requested").withState(EventState.STARTED));
    assertTrue(health.getMessage().contains("a health event's state is"), health.getMessage());
    InvalidEventTypeException heartbeat = assertThrows(InvalidEventTypeException.class,
      () -> EventType.parse("user:get_user:v1:requested").withState(EventState.HEARTBEAT));
    assertTrue(heartbeat.getMessage().contains("belongs to health events only"), heartbeat.getMessage());
    assertThrows(IllegalStateException.class,
      () -> EventType.parse("campaign:switch:required").withState(EventState.SUCCESS));
  }

  @Test
  void theParseCacheIsBoundedAndStillParsesAfterItFills() {
    for (int i = 0; i < EventType.PARSED_CACHE_SIZE + 10; i++) {
      assertEquals("svc_" + i, EventType.parse("svc_" + i + ":act:v1:requested").service());
      assertTrue(EventType.parsedCacheSize() <= EventType.PARSED_CACHE_SIZE);
    }
    EventType again = EventType.parse("svc_1:act:v1:requested");
    assertEquals("svc_1", again.service());
    assertSame(again, EventType.parse("svc_1:act:v1:requested"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    // the type                                | what the message must say
    "content:create_content:v1                 | expected 4 parts {service}:{action}:v{n}:{state}, found 3",
    "content:create_content:v1:requested:extra | found 5",
    "content                                   | found 1",
    "campaign                                  | found 1",
    "content:create_content:1:requested        | version '1' must be v followed by a number",
    "content:create_content:v0:requested       | version 'v0'",
    "content:create_content:V1:requested       | version 'V1'",
    "content:create_content:vx:requested       | version 'vx'",
    "content:create_content:v1:done            | state 'done' is not one of requested, started, success",
    "content:create_content:v1:REQUESTED       | state 'REQUESTED' is not one of",
    "Content:create_content:v1:requested       | the service 'Content' must be lower-case snake_case",
    "content:createContent:v1:requested        | the action 'createContent' must be lower-case snake_case",
    "content:create-content:v1:requested       | the action 'create-content' must be lower-case snake_case",
    "1content:create:v1:requested              | the service '1content' must be lower-case",
    ":create_content:v1:requested              | the service is empty",
    "content::v1:requested                     | the action is empty",
    "content:create_content:v1:                | state '' is not one of",
    "campaign:Switch                           | the campaign control name 'Switch' must be lower-case",
    "campaign::required                        | the campaign control name is empty",
    "content:create_content:v1:heartbeat       | the state 'heartbeat' belongs to health events only",
    "user:health:v1:started                    | a health event's state is requested, success, failed or heartbeat",
    "user:health:v1:bogus                      | state 'bogus' is not one of requested, started, success, failed, completed, cancelled, timeout, heartbeat",
  })
  void rejectsInvalidTypesSayingWhatIsWrong(String text, String expected) {
    InvalidEventTypeException e = assertThrows(InvalidEventTypeException.class, () -> EventType.parse(text));
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    assertTrue(e.getMessage().startsWith("invalid event type '" + text + "'"), e.getMessage());
    assertEquals(text, e.type());
    assertFalse(EventType.isValid(text));
  }

  @Test
  void rejectsEmptyMissingAndOverlongTypes() {
    assertTrue(assertThrows(InvalidEventTypeException.class, () -> EventType.parse(""))
      .getMessage().contains("the type is empty"));
    assertTrue(assertThrows(InvalidEventTypeException.class, () -> EventType.parse(null))
      .getMessage().contains("the type is empty"));
    String longName = "a".repeat(65);
    assertTrue(assertThrows(InvalidEventTypeException.class,
      () -> EventType.parse(longName + ":act:v1:requested")).getMessage()
      .contains("the service is longer than 64 characters"));
    assertTrue(assertThrows(InvalidEventTypeException.class,
      () -> EventType.parse("x".repeat(300))).getMessage().contains("longer than 256 characters"));
    assertThrows(InvalidEventTypeException.class, () -> EventType.of("Bad", "act", 1, EventState.REQUESTED));
  }

  @Test
  void equalTypesAreEqual() {
    assertEquals(EventType.parse("user:get_user:v1:success"), EventType.parse("user:get_user:v1:success"));
    assertEquals(EventType.parse("user:get_user:v1:success").hashCode(),
      EventType.parse("user:get_user:v1:success").hashCode());
    assertFalse(EventType.parse("user:get_user:v1:success").equals(EventType.parse("user:get_user:v2:success")));
  }

  @Test
  void terminalStates() {
    assertTrue(EventState.SUCCESS.isTerminal());
    assertTrue(EventState.FAILED.isTerminal());
    assertFalse(EventState.STARTED.isTerminal());
    assertFalse(EventState.REQUESTED.isTerminal());
    assertNull(EventState.ofWire("nope"));
    assertEquals("heartbeat", EventState.HEARTBEAT.wire());
  }
}
