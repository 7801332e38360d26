package io.inos.nexus;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed event type. The canonical form is {@code {service}:{action}:v{n}:{state}}, e.g.
 * {@code content:create_content:v1:requested}. The original INOS also accepts:
 * <ul>
 *   <li>{@code echo};</li>
 *   <li>campaign control events {@code campaign:{name}[:{name}]}, e.g. {@code campaign:switch:required};</li>
 *   <li>health events {@code {service}:health:v1:{requested|success|failed|heartbeat}} (heartbeat is allowed only
 *   here).</li>
 * </ul>
 * Service and action names are lower-case snake_case ({@code [a-z][a-z0-9_]*}, at most 64 characters).
 *
 * <p>Types are values. Parsing is cached (a service sees the same few types over and over), and the lifecycle
 * siblings of a type ({@link #withState}) are made once per family and shared, so the request path never parses a
 * type it has seen.
 */
public final class EventType {

  /** The kinds of type the grammar knows. */
  public enum Kind { CANONICAL, HEALTH, CAMPAIGN_CONTROL, ECHO }

  static final int MAX_NAME = 64;
  /**
   * The most parsed types kept. Clients may send any valid type, so the cache is bounded; when it is full it starts
   * again empty, so a flood of one-off types costs parsing, never memory, and the usual types come back at once.
   */
  static final int PARSED_CACHE_SIZE = 4_096;
  private static final ConcurrentHashMap<String, EventType> PARSED = new ConcurrentHashMap<>();

  public static final EventType ECHO = new EventType("echo", Kind.ECHO, "echo", null, 0, null, null);

  private final String value;
  private final Kind kind;
  private final String service;
  private final String action;
  private final int version;
  private final EventState state;
  /** The same service, action and version in each state, by ordinal, made when first asked; shared by the family. */
  private final EventType[] siblings;

  private EventType(String value, Kind kind, String service, String action, int version, EventState state,
                    EventType[] siblings) {
    this.value = value;
    this.kind = kind;
    this.service = service;
    this.action = action;
    this.version = version;
    this.state = state;
    this.siblings = siblings;
  }

  /** @return the canonical type {@code service:action:v{version}:state} */
  public static EventType of(String service, String action, int version, EventState state) {
    return parse(service + ":" + action + ":v" + version + ":" + state.wire());
  }

  /**
   * @param type the type as written on the wire
   * @return the parsed type
   * @throws InvalidEventTypeException with a message saying which part is wrong
   */
  public static EventType parse(String type) {
    EventType known = type == null ? null : PARSED.get(type);
    if (known != null) {
      return known;
    }
    EventType parsed = parseText(type);
    if (parsed.kind == Kind.CANONICAL || parsed.kind == Kind.HEALTH) {
      if (PARSED.size() >= PARSED_CACHE_SIZE) {
        PARSED.clear();
      }
      parsed = Objects.requireNonNullElse(PARSED.putIfAbsent(type, parsed), parsed);
    }
    return parsed;
  }

  /** @return how many parsed types are cached */
  static int parsedCacheSize() {
    return PARSED.size();
  }

  private static EventType parseText(String type) {
    if (type == null || type.isEmpty()) {
      throw new InvalidEventTypeException(String.valueOf(type), "the type is empty");
    }
    if (type.length() > 4 * MAX_NAME) {
      throw new InvalidEventTypeException(type.substring(0, 32) + "...", "longer than " + 4 * MAX_NAME + " characters");
    }
    if (type.equals("echo")) {
      return ECHO;
    }
    String[] parts = type.split(":", -1);
    if (parts[0].equals("campaign") && parts.length <= 3) {
      if (parts.length == 1) {
        throw new InvalidEventTypeException(type, "expected 4 parts {service}:{action}:v{n}:{state} or a campaign "
          + "control event campaign:{name}[:{name}], found 1");
      }
      for (int i = 1; i < parts.length; i++) {
        checkName(type, "campaign control name", parts[i]);
      }
      return new EventType(type, Kind.CAMPAIGN_CONTROL, "campaign", parts[1], 0, null, null);
    }
    if (parts.length != 4) {
      throw new InvalidEventTypeException(type, "expected 4 parts {service}:{action}:v{n}:{state}, found " + parts.length);
    }
    checkName(type, "service", parts[0]);
    checkName(type, "action", parts[1]);
    if (!isVersion(parts[2])) {
      throw new InvalidEventTypeException(type, "version '" + parts[2] + "' must be v followed by a number, e.g. v1");
    }
    int version = Integer.parseInt(parts[2].substring(1));
    EventState state = EventState.ofWire(parts[3]);
    boolean health = parts[1].equals("health");
    if (state == null) {
      throw new InvalidEventTypeException(type, "state '" + parts[3] + "' is not one of "
        + "requested, started, success, failed, completed, cancelled, timeout"
        + (health ? ", heartbeat" : ""));
    }
    checkState(type, health, parts[1], state);
    EventType parsed = new EventType(type, health ? Kind.HEALTH : Kind.CANONICAL, parts[0], parts[1], version, state,
      new EventType[EventState.values().length]);
    parsed.siblings[state.ordinal()] = parsed;
    return parsed;
  }

  private static void checkState(String type, boolean health, String action, EventState state) {
    if (state == EventState.HEARTBEAT && !health) {
      throw new InvalidEventTypeException(type, "the state 'heartbeat' belongs to health events only "
        + "({service}:health:v1:heartbeat), not to the action '" + action + "'");
    }
    if (health && state != EventState.REQUESTED && state != EventState.SUCCESS && state != EventState.FAILED
      && state != EventState.HEARTBEAT) {
      throw new InvalidEventTypeException(type, "a health event's state is requested, success, failed or heartbeat");
    }
  }

  /** {@code v[1-9][0-9]{0,3}}, without a regular expression (this runs for every event read). */
  private static boolean isVersion(String text) {
    int n = text.length();
    if (n < 2 || n > 5 || text.charAt(0) != 'v' || text.charAt(1) < '1' || text.charAt(1) > '9') {
      return false;
    }
    for (int i = 2; i < n; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code [a-z][a-z0-9_]*}, without a regular expression. */
  static boolean isName(String text) {
    int n = text.length();
    if (n == 0 || text.charAt(0) < 'a' || text.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** @return whether {@code type} parses */
  public static boolean isValid(String type) {
    if (type == null || !type.equals("echo") && !type.startsWith("campaign:") && colons(type) != 3) {
      // most texts asked about are no event type at all (MQTT topics, feed names): no exception built for them
      return false;
    }
    try {
      parse(type);
      return true;
    } catch (InvalidEventTypeException e) {
      return false;
    }
  }

  private static int colons(String text) {
    int n = 0;
    for (int i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
      n++;
    }
    return n;
  }

  private static void checkName(String type, String what, String name) {
    if (name.isEmpty()) {
      throw new InvalidEventTypeException(type, "the " + what + " is empty");
    }
    if (name.length() > MAX_NAME) {
      throw new InvalidEventTypeException(type, "the " + what + " is longer than " + MAX_NAME + " characters");
    }
    if (!isName(name)) {
      throw new InvalidEventTypeException(type, "the " + what + " '" + name
        + "' must be lower-case snake_case ([a-z][a-z0-9_]*)");
    }
  }

  /**
   * @return the same service, action and version in another state
   * @throws IllegalStateException for a type without a lifecycle ({@code echo}, campaign control)
   * @throws InvalidEventTypeException when the state is not allowed for this type (heartbeat outside health events,
   * a health event in a state other than requested, success, failed or heartbeat)
   */
  public EventType withState(EventState newState) {
    if (kind != Kind.CANONICAL && kind != Kind.HEALTH) {
      throw new IllegalStateException(value + " has no lifecycle");
    }
    if (newState == state) {
      return this;
    }
    EventType sibling = siblings[newState.ordinal()];
    if (sibling == null) {
      // the parts were checked when this type was parsed; only the state is new
      String text = service + ":" + action + ":v" + version + ":" + newState.wire();
      checkState(text, kind == Kind.HEALTH, action, newState);
      sibling = new EventType(text, kind, service, action, version, newState, siblings);
      siblings[newState.ordinal()] = sibling; // a race makes an equal twin, which is harmless
    }
    return sibling;
  }

  public Kind kind() {
    return kind;
  }

  public String service() {
    return service;
  }

  /** @return the action, or for a campaign control event its first name */
  public String action() {
    return action;
  }

  /** @return the version number, 0 where the type has none */
  public int version() {
    return version;
  }

  /** @return the state, or {@code null} for {@code echo} and campaign control events */
  public EventState state() {
    return state;
  }

  public boolean hasState(EventState s) {
    return state == s;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof EventType t && t.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  /** @return the wire form */
  @Override
  public String toString() {
    return value;
  }
}
