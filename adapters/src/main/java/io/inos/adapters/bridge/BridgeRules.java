package io.inos.adapters.bridge;

import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The permission rules of every door, in one place: which addresses a client may send to (inbound) and which it
 * may receive from (outbound). Deny by default: an address passes only when a rule permits it.
 *
 * <p>Each rule has the semantics of vertx-bridge-common's {@link PermittedOptions} (and of vertx-web's
 * {@code EventBusBridgeImpl#checkMatches}): {@code address} (exact) or {@code addressRegex} (whole-address match; with
 * neither, any address), optional {@code match} (the body must contain these fields with these values, deeply) and
 * optional {@code requiredAuthority} (the identity must hold that role). Two additions:
 * <ul>
 *   <li>{@value #USER_PLACEHOLDER} in an address or regex stands for the connection's own user id, so one rule
 *   scopes every client to its own {@code user:{id}} address; it never matches a connection without a user.</li>
 *   <li>An outbound rule never permits a {@code :requested} address: a subscriber there would take requests away
 *   from the service, because a service inbox is point-to-point. Outbound rules are checked once per subscription,
 *   on the address only, so they cannot have {@code match}.</li>
 * </ul>
 *
 * <p>JSON form (the keys of vertx-web's {@code SockJSBridgeOptions}):
 * <pre>{"inboundPermitteds": [{"addressRegex": "campaign:[a-z][a-z0-9_]*:v[0-9]+:requested"}],
 *  "outboundPermitteds": [{"address": "user:{user_id}"}, {"addressRegex": "campaign:[A-Za-z0-9_-]{1,64}"},
 *                         {"address": "system"}]}</pre>
 * A direction left out of the JSON keeps its default ({@link #guestDefaults()}); an empty list denies everything.
 * Instances are immutable and safe to share between threads.
 */
public final class BridgeRules {

  /** Stands for the connection's own user id in an address or regex. */
  public static final String USER_PLACEHOLDER = "{user_id}";
  /** The requests a guest may send by default: any campaign action. */
  public static final String GUEST_INBOUND_REGEX = "campaign:[a-z][a-z0-9_]*:v[0-9]+:requested";
  /** Campaign scope addresses {@code campaign:{id}} (one segment: never an event type). */
  public static final String CAMPAIGN_SCOPE_REGEX = "campaign:[A-Za-z0-9_-]{1,64}";

  private static final Set<String> RULE_KEYS = Set.of("address", "addressRegex", "match", "requiredAuthority");

  private final List<Rule> inbound;
  private final List<Rule> outbound;

  private BridgeRules(List<Rule> inbound, List<Rule> outbound) {
    this.inbound = List.copyOf(inbound);
    this.outbound = List.copyOf(outbound);
  }

  /**
   * The rules for anonymous guests: send any {@code campaign:{action}:v{n}:requested}; receive their own
   * {@code user:{id}}, any {@code campaign:{id}} and {@code system}.
   */
  public static BridgeRules guestDefaults() {
    return new BridgeRules(defaultInbound(), defaultOutbound());
  }

  /** Rules that permit nothing at all. */
  public static BridgeRules denyAll() {
    return new BridgeRules(List.of(), List.of());
  }

  /** @return rules made of these {@link PermittedOptions} */
  public static BridgeRules of(List<PermittedOptions> inbound, List<PermittedOptions> outbound) {
    return new BridgeRules(compile("inboundPermitteds", inbound, false), compile("outboundPermitteds", outbound, true));
  }

  /**
   * Reads rules from configuration.
   *
   * @throws IllegalArgumentException naming the key of a malformed rule (unknown key, wrong type, bad regex)
   */
  public static BridgeRules fromJson(JsonObject json) {
    if (json == null) {
      return guestDefaults();
    }
    List<Rule> in = json.containsKey("inboundPermitteds")
      ? compile("inboundPermitteds", read("inboundPermitteds", json.getValue("inboundPermitteds")), false)
      : defaultInbound();
    List<Rule> out = json.containsKey("outboundPermitteds")
      ? compile("outboundPermitteds", read("outboundPermitteds", json.getValue("outboundPermitteds")), true)
      : defaultOutbound();
    return new BridgeRules(in, out);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("inboundPermitteds", toJson(inbound))
      .put("outboundPermitteds", toJson(outbound));
  }

  /** @return copies of the inbound rules */
  public List<PermittedOptions> inbound() {
    return inbound.stream().map(r -> new PermittedOptions(r.options)).toList();
  }

  /** @return copies of the outbound rules */
  public List<PermittedOptions> outbound() {
    return outbound.stream().map(r -> new PermittedOptions(r.options)).toList();
  }

  /**
   * @param address where the client sends
   * @param body    what it sends (checked against a rule's {@code match}); may be {@code null}
   * @param who     the sender
   * @return whether some inbound rule permits it
   */
  public boolean permitsInbound(String address, Object body, BridgeIdentity who) {
    for (Rule rule : inbound) {
      if (rule.permits(address, who) && structureMatches(rule.options.getMatch(), body)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param address where the client wants to receive from
   * @param who     the receiver
   * @return whether some outbound rule permits it (never for a {@code :requested} address)
   */
  public boolean permitsOutbound(String address, BridgeIdentity who) {
    if (isRequestInbox(address)) {
      return false;
    }
    for (Rule rule : outbound) {
      if (rule.permits(address, who)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRequestInbox(String address) {
    if (!address.endsWith(":" + EventState.REQUESTED.wire())) {
      return false;
    }
    return EventType.isValid(address);
  }

  private static List<Rule> defaultInbound() {
    return compile("inboundPermitteds", List.of(new PermittedOptions().setAddressRegex(GUEST_INBOUND_REGEX)), false);
  }

  private static List<Rule> defaultOutbound() {
    return compile("outboundPermitteds", List.of(
      new PermittedOptions().setAddress("user:" + USER_PLACEHOLDER),
      new PermittedOptions().setAddressRegex(CAMPAIGN_SCOPE_REGEX),
      new PermittedOptions().setAddress("system")), true);
  }

  private static List<PermittedOptions> read(String key, Object value) {
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("bridge rules: '" + key + "' must be an array of rules");
    }
    List<PermittedOptions> rules = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String where = key + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject rule)) {
        throw new IllegalArgumentException("bridge rules: '" + where + "' must be an object");
      }
      for (String field : rule.fieldNames()) {
        if (!RULE_KEYS.contains(field)) {
          throw new IllegalArgumentException("bridge rules: '" + where + "." + field + "' is not a rule key; use "
            + RULE_KEYS);
        }
      }
      PermittedOptions options = new PermittedOptions()
        .setAddress(string(rule, where, "address"))
        .setAddressRegex(string(rule, where, "addressRegex"))
        .setRequiredAuthority(string(rule, where, "requiredAuthority"));
      Object match = rule.getValue("match");
      if (match != null && !(match instanceof JsonObject)) {
        throw new IllegalArgumentException("bridge rules: '" + where + ".match' must be an object");
      }
      rules.add(options.setMatch((JsonObject) match));
    }
    return rules;
  }

  private static String string(JsonObject rule, String where, String key) {
    Object value = rule.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("bridge rules: '" + where + "." + key + "' must be a string");
    }
    return (String) value;
  }

  private static List<Rule> compile(String key, List<PermittedOptions> options, boolean outbound) {
    List<Rule> rules = new ArrayList<>(options.size());
    for (int i = 0; i < options.size(); i++) {
      PermittedOptions o = new PermittedOptions(options.get(i));
      String where = key + "[" + i + "]";
      if (outbound && o.getMatch() != null) {
        throw new IllegalArgumentException("bridge rules: '" + where + ".match': outbound rules are checked once per "
          + "subscription, on the address only");
      }
      rules.add(new Rule(o, where));
    }
    return rules;
  }

  private static JsonArray toJson(List<Rule> rules) {
    JsonArray array = new JsonArray();
    for (Rule r : rules) {
      JsonObject json = new JsonObject();
      putIfSet(json, "address", r.options.getAddress());
      putIfSet(json, "addressRegex", r.options.getAddressRegex());
      putIfSet(json, "match", r.options.getMatch());
      putIfSet(json, "requiredAuthority", r.options.getRequiredAuthority());
      array.add(json);
    }
    return array;
  }

  private static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  /** vertx-web's deep structure match: every field of {@code match} must be in the body with the same value. */
  static boolean structureMatches(JsonObject match, Object body) {
    if (match == null || body == null) {
      return true;
    }
    if (!(body instanceof JsonObject json)) {
      return false;
    }
    for (String field : match.fieldNames()) {
      Object expected = match.getValue(field);
      Object actual = json.getValue(field);
      if (expected instanceof JsonObject nested) {
        if (!(actual instanceof JsonObject) || !structureMatches(nested, actual)) {
          return false;
        }
      } else if (!expected.equals(actual)) {
        return false;
      }
    }
    return true;
  }

  /** One compiled rule. */
  private static final class Rule {
    final PermittedOptions options;
    final boolean perUser;
    final Pattern regex;

    Rule(PermittedOptions options, String where) {
      this.options = options;
      String template = options.getAddress() != null ? options.getAddress() : options.getAddressRegex();
      this.perUser = template != null && template.contains(USER_PLACEHOLDER);
      Pattern compiled = null;
      if (options.getAddress() == null && options.getAddressRegex() != null) {
        try {
          // a per-user regex is compiled per check; compiling it once here reports a bad regex at load time
          compiled = Pattern.compile(options.getAddressRegex().replace(USER_PLACEHOLDER, "x"));
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("bridge rules: '" + where + ".addressRegex' is not a regular expression: "
            + e.getDescription());
        }
      }
      this.regex = perUser ? null : compiled;
    }

    boolean permits(String address, BridgeIdentity who) {
      String role = options.getRequiredAuthority();
      if (role != null && !who.hasRole(role)) {
        return false;
      }
      if (perUser && (who.userId() == null || who.userId().isEmpty())) {
        return false;
      }
      if (options.getAddress() != null) {
        String expected = perUser ? options.getAddress().replace(USER_PLACEHOLDER, who.userId()) : options.getAddress();
        return expected.equals(address);
      }
      if (options.getAddressRegex() == null) {
        return true;
      }
      Pattern pattern = perUser
        ? Pattern.compile(options.getAddressRegex().replace(USER_PLACEHOLDER, Pattern.quote(who.userId())))
        : regex;
      return pattern.matcher(address).matches();
    }
  }
}
