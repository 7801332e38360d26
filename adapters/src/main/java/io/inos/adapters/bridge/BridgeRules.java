package io.inos.adapters.bridge;

import io.inos.nexus.Addresses;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The permission model of every protocol, in one place: which addresses a client may send to (inbound) and which it
 * may receive from (outbound). Deny by default.
 *
 * <p><b>Rules</b> have the semantics of vertx-bridge-common's {@link PermittedOptions}: {@code address} (exact) or
 * {@code addressRegex} (must match the whole address; with neither, any address), optional {@code match} (the body
 * must contain these fields with these values, deeply; outbound, it filters each message) and optional
 * {@code requiredRole} (alias {@code requiredAuthority}: the identity must hold that role; guests hold none).
 * {@value #USER_PLACEHOLDER} stands for the connection's own user id: in an {@code address} it is replaced, in an
 * {@code addressRegex} it matches one address segment (no {@code :}) that must be the user id.
 *
 * <p><b>Scope</b> comes on top of the rules and no rule can widen it:
 * <ul>
 *   <li>{@code user:{id}…} is only ever received by user {@code id}; its own {@code user:{id}} needs no rule;</li>
 *   <li>{@code campaign:{id}} is received only by those who joined campaign {@code id} (the token's {@code campaigns}
 *   claim) and by everyone for the {@code publicCampaigns} (ids, or patterns where {@code *} matches any run of
 *   characters; by default {@code ["*"]}, every campaign); no rule is needed;</li>
 *   <li>the {@code publicAddresses} (exact, or patterns where {@code *} matches any run of characters) are received
 *   by everyone, guests included;</li>
 *   <li>a {@code :requested} address (a service inbox) is never received: a listener there would take requests away
 *   from the service.</li>
 * </ul>
 *
 * <p><b>Regex safety</b>: addresses from clients are only ever matched, never compiled; the configured regexes are
 * compiled once, when the rules load, and always match whole addresses; addresses longer than
 * {@value #MAX_MATCHED_LENGTH} characters are never matched (the bridge bounds them further, see
 * {@link BridgeOptions#getMaxAddressLength()}).
 *
 * <p>JSON form:
 * <pre>{"inboundPermitteds":  [{"addressRegex": "campaign:[a-z][a-z0-9_]*:v[0-9]+:requested"}],
 *  "outboundPermitteds": [{"addressRegex": "admin:[a-z_]+", "requiredRole": "admin"}],
 *  "publicCampaigns": ["0", "demo_*"],
 *  "publicAddresses": ["system", "feed:*"]}</pre>
 * A key left out keeps its default ({@link #defaults()}); an empty list means none. Instances are immutable and safe to
 * share between threads.
 */
public final class BridgeRules {

  /** Stands for the connection's own user id in an address or regex. */
  public static final String USER_PLACEHOLDER = "{user_id}";
  /** The requests anyone may send by default: any campaign action. */
  public static final String GUEST_INBOUND_REGEX = "campaign:[a-z][a-z0-9_]*:v[0-9]+:requested";
  /** Campaign scope addresses {@code campaign:{id}} (one segment: never an event type). */
  public static final String CAMPAIGN_SCOPE_REGEX = "campaign:[A-Za-z0-9_-]{1,64}";
  /**
   * Every campaign is public unless configured otherwise, as in the original, where any browser could join any
   * campaign; list the public ones (e.g. {@code ["0"]}) to make the others members-only.
   */
  public static final List<String> DEFAULT_PUBLIC_CAMPAIGNS = List.of("*");
  public static final List<String> DEFAULT_PUBLIC_ADDRESSES = List.of(Addresses.SYSTEM);
  /** Addresses longer than this are never matched against a rule. */
  public static final int MAX_MATCHED_LENGTH = 1_024;

  private static final String INBOUND = "inboundPermitteds";
  private static final String OUTBOUND = "outboundPermitteds";
  private static final String PUBLIC_CAMPAIGNS = "publicCampaigns";
  private static final String PUBLIC_ADDRESSES = "publicAddresses";
  private static final Set<String> KEYS = Set.of(INBOUND, OUTBOUND, PUBLIC_CAMPAIGNS, PUBLIC_ADDRESSES);
  private static final Set<String> RULE_KEYS = Set.of("address", "addressRegex", "match", "requiredRole",
    "requiredAuthority");
  private static final Check PERMITTED = new Check(true, null, null);

  private final List<Rule> inbound;
  /** whether some inbound rule has a {@code match} on the body */
  private final boolean inboundReadsBodies;
  private final List<Rule> outbound;
  private final Set<String> publicCampaigns;
  private final List<String> publicAddresses;
  private final Set<String> publicCampaignExact = new HashSet<>();
  private final List<Pattern> publicCampaignPatterns = new ArrayList<>();
  private final Set<String> publicExact = new HashSet<>();
  private final List<Pattern> publicPatterns = new ArrayList<>();

  private BridgeRules(List<Rule> inbound, List<Rule> outbound, List<String> publicCampaigns,
                      List<String> publicAddresses) {
    this.inbound = List.copyOf(inbound);
    this.inboundReadsBodies = inbound.stream().anyMatch(r -> r.options.getMatch() != null);
    this.outbound = List.copyOf(outbound);
    this.publicCampaigns = new LinkedHashSet<>(publicCampaigns);
    this.publicAddresses = List.copyOf(publicAddresses);
    for (String campaign : publicCampaigns) {
      if (campaign.contains("*")) {
        publicCampaignPatterns.add(glob(campaign));
      } else {
        publicCampaignExact.add(campaign);
      }
    }
    for (String address : publicAddresses) {
      if (address.contains("*")) {
        publicPatterns.add(glob(address));
      } else {
        publicExact.add(address);
      }
    }
  }

  /**
   * The default rules: anyone may send any {@code campaign:{action}:v{n}:requested}; everyone receives their own
   * {@code user:{id}}, every campaign (all are public by default) and {@code system}.
   */
  public static BridgeRules defaults() {
    return new BridgeRules(defaultInbound(), List.of(), DEFAULT_PUBLIC_CAMPAIGNS, DEFAULT_PUBLIC_ADDRESSES);
  }

  /** The same as {@link #defaults()}: the rules for anonymous guests of the foundation issue. */
  public static BridgeRules guestDefaults() {
    return defaults();
  }

  /**
   * Rules that permit nothing: no rule, no public campaign or address. Only the connection's own scope remains (its
   * {@code user:{id}} and the campaigns its token says it joined).
   */
  public static BridgeRules denyAll() {
    return new BridgeRules(List.of(), List.of(), List.of(), List.of());
  }

  /** @return rules made of these {@link PermittedOptions}, with no public campaign or address */
  public static BridgeRules of(List<PermittedOptions> inbound, List<PermittedOptions> outbound) {
    return new BridgeRules(compile(INBOUND, inbound), compile(OUTBOUND, outbound), List.of(), List.of());
  }

  /**
   * Reads rules from configuration.
   *
   * @param json the JSON form; {@code null} = {@link #defaults()}
   * @throws IllegalArgumentException naming the key of a malformed rule (unknown key, wrong type, bad regex)
   */
  public static BridgeRules fromJson(JsonObject json) {
    if (json == null) {
      return defaults();
    }
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("bridge rules: '" + key + "' is not a rules key; use " + KEYS);
      }
    }
    List<Rule> in = json.containsKey(INBOUND) ? compile(INBOUND, read(INBOUND, json.getValue(INBOUND)))
      : defaultInbound();
    List<Rule> out = json.containsKey(OUTBOUND) ? compile(OUTBOUND, read(OUTBOUND, json.getValue(OUTBOUND)))
      : List.of();
    List<String> campaigns = json.containsKey(PUBLIC_CAMPAIGNS) ? strings(PUBLIC_CAMPAIGNS,
      json.getValue(PUBLIC_CAMPAIGNS), true) : DEFAULT_PUBLIC_CAMPAIGNS;
    List<String> addresses = json.containsKey(PUBLIC_ADDRESSES) ? strings(PUBLIC_ADDRESSES,
      json.getValue(PUBLIC_ADDRESSES), false) : DEFAULT_PUBLIC_ADDRESSES;
    return new BridgeRules(in, out, campaigns, addresses);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put(INBOUND, toJson(inbound))
      .put(OUTBOUND, toJson(outbound))
      .put(PUBLIC_CAMPAIGNS, new JsonArray(new ArrayList<>(publicCampaigns)))
      .put(PUBLIC_ADDRESSES, new JsonArray(publicAddresses));
  }

  /** @return copies of the inbound rules */
  public List<PermittedOptions> inbound() {
    return inbound.stream().map(r -> new PermittedOptions(r.options)).toList();
  }

  /** @return copies of the outbound rules */
  public List<PermittedOptions> outbound() {
    return outbound.stream().map(r -> new PermittedOptions(r.options)).toList();
  }

  /** @return the campaigns (ids and {@code *} patterns) everyone receives, guests included */
  public Set<String> publicCampaigns() {
    return Set.copyOf(publicCampaigns);
  }

  /** @return the addresses (and {@code *} patterns) everyone receives, guests included */
  public List<String> publicAddresses() {
    return publicAddresses;
  }

  /**
   * @param address where the client sends
   * @param body    what it sends (checked against a rule's {@code match}); may be {@code null}
   * @param who     the sender
   * @return whether some inbound rule permits it
   */
  public boolean permitsInbound(String address, Object body, BridgeIdentity who) {
    return checkInbound(address, body, who).permitted();
  }

  /** @return whether {@code who} may send {@code body} to {@code address}, and why not */
  public Check checkInbound(String address, Object body, BridgeIdentity who) {
    if (address.length() > MAX_MATCHED_LENGTH) {
      return denied("sending to", address, "the address is too long");
    }
    String role = null;
    boolean bodyMismatch = false;
    for (Rule rule : inbound) {
      if (!rule.permitsAddress(address, who)) {
        continue;
      }
      if (!rule.holdsRole(who)) {
        role = rule.role();
        continue;
      }
      if (structureMatches(rule.options.getMatch(), body)) {
        return PERMITTED;
      }
      bodyMismatch = true;
    }
    return denied("sending to", address, role != null ? "it needs the role '" + role + "'"
      : bodyMismatch ? "the body does not match the rule" : noRule(who));
  }

  /**
   * @return whether {@link #checkInbound} reads the body: some inbound rule has a {@code match}. When none has, a
   * protocol that must build the body from its own frame (an MQTT payload becomes an envelope) can check without it.
   */
  public boolean inboundReadsBodies() {
    return inboundReadsBodies;
  }

  /**
   * @param address where the client wants to receive from
   * @param who     the receiver
   * @return whether the scope and some rule permit it (never for a {@code :requested} address)
   */
  public boolean permitsOutbound(String address, BridgeIdentity who) {
    return checkOutbound(address, who).permitted();
  }

  /**
   * @return whether {@code who} may receive from {@code address}, why not, and the filter of each message when the
   * rules that permit it have a {@code match}
   */
  public Check checkOutbound(String address, BridgeIdentity who) {
    if (address.length() > MAX_MATCHED_LENGTH) {
      return denied("receiving from", address, "the address is too long");
    }
    if (isRequestInbox(address)) {
      return denied("receiving from", address, "it is a service inbox, whose requests go to one service");
    }
    String user = who.userId();
    if (address.startsWith(Addresses.USER_PREFIX)) {
      // its own user:{id} needs no rule; user:{id}:… needs one; any other user's address is out of scope
      boolean own = user != null && address.startsWith(user, Addresses.USER_PREFIX.length());
      int end = Addresses.USER_PREFIX.length() + (user == null ? 0 : user.length());
      if (own && address.length() == end) {
        return PERMITTED;
      }
      if (!own || address.charAt(end) != ':') {
        return denied("receiving from", address, "it is another user's address");
      }
    } else if (isCampaignScope(address)) {
      String campaign = address.substring(Addresses.CAMPAIGN_PREFIX.length());
      if (who.joined(campaign) || isPublicCampaign(campaign)) {
        return PERMITTED;
      }
      return denied("receiving from", address, who.guest() || user == null
        ? "campaign '" + campaign + "' is not public; sign in with a token whose 'campaigns' claim holds it"
        : "user '" + user + "' did not join campaign '" + campaign + "' (the token's 'campaigns' claim)");
    }
    if (publicExact.contains(address)) {
      return PERMITTED;
    }
    for (Pattern pattern : publicPatterns) {
      if (pattern.matcher(address).matches()) {
        return PERMITTED;
      }
    }
    String role = null;
    List<Delivery.Form<Boolean>> filters = null;
    for (Rule rule : outbound) {
      if (!rule.permitsAddress(address, who)) {
        continue;
      }
      if (!rule.holdsRole(who)) {
        role = rule.role();
        continue;
      }
      if (rule.filter == null) {
        return PERMITTED;
      }
      if (filters == null) {
        filters = new ArrayList<>(2);
      }
      filters.add(rule.filter);
    }
    if (filters != null) {
      return new Check(true, null, List.copyOf(filters));
    }
    return denied("receiving from", address, role != null ? "it needs the role '" + role + "'" : noRule(who));
  }

  /** @return whether everyone receives {@code campaign:{campaignId}} */
  public boolean isPublicCampaign(String campaignId) {
    if (publicCampaignExact.contains(campaignId)) {
      return true;
    }
    for (Pattern pattern : publicCampaignPatterns) {
      if (pattern.matcher(campaignId).matches()) {
        return true;
      }
    }
    return false;
  }

  private static String noRule(BridgeIdentity who) {
    return who.guest() ? "no rule permits it for a guest" : "no rule permits it";
  }

  private static Check denied(String what, String address, String why) {
    String shown = address.length() > 120 ? address.substring(0, 120) + "…" : address;
    return new Check(false, what + " '" + shown + "' is not permitted: " + why, null);
  }

  /** @return whether {@code address} is a campaign scope, {@code campaign:{id}} with one segment */
  public static boolean isCampaignScope(String address) {
    return address.startsWith(Addresses.CAMPAIGN_PREFIX) && address.length() > Addresses.CAMPAIGN_PREFIX.length()
      && address.indexOf(':', Addresses.CAMPAIGN_PREFIX.length()) < 0;
  }

  private static boolean isRequestInbox(String address) {
    return address.endsWith(":" + EventState.REQUESTED.wire()) && EventType.isValid(address);
  }

  private static List<Rule> defaultInbound() {
    return compile(INBOUND, List.of(new PermittedOptions().setAddressRegex(GUEST_INBOUND_REGEX)));
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
      String role = string(rule, where, "requiredRole");
      PermittedOptions options = new PermittedOptions()
        .setAddress(string(rule, where, "address"))
        .setAddressRegex(string(rule, where, "addressRegex"))
        .setRequiredAuthority(role != null ? role : string(rule, where, "requiredAuthority"));
      Object match = rule.getValue("match");
      if (match != null && !(match instanceof JsonObject)) {
        throw new IllegalArgumentException("bridge rules: '" + where + ".match' must be an object");
      }
      rules.add(options.setMatch((JsonObject) match));
    }
    return rules;
  }

  private static List<String> strings(String key, Object value, boolean segments) {
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("bridge rules: '" + key + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (item instanceof Number n && segments) {
        item = n.toString();
      }
      if (!(item instanceof String s) || s.isEmpty() || (segments && s.contains(":"))) {
        throw new IllegalArgumentException("bridge rules: '" + key + "[" + i + "]' must be a non-empty string"
          + (segments ? " without ':' (a campaign id)" : ""));
      }
      out.add(s);
    }
    return out;
  }

  private static String string(JsonObject rule, String where, String key) {
    Object value = rule.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("bridge rules: '" + where + "." + key + "' must be a string");
    }
    return (String) value;
  }

  private static List<Rule> compile(String key, List<PermittedOptions> options) {
    List<Rule> rules = new ArrayList<>(options.size());
    for (int i = 0; i < options.size(); i++) {
      rules.add(new Rule(new PermittedOptions(options.get(i)), key + "[" + i + "]"));
    }
    return rules;
  }

  /** A public address pattern: {@code *} matches any run of characters, everything else is literal. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    int from = 0;
    for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', from)) {
      if (star > from) {
        regex.append(Pattern.quote(pattern.substring(from, star)));
      }
      regex.append(".*");
      from = star + 1;
    }
    if (from < pattern.length()) {
      regex.append(Pattern.quote(pattern.substring(from)));
    }
    return Pattern.compile(regex.toString());
  }

  private static JsonArray toJson(List<Rule> rules) {
    JsonArray array = new JsonArray();
    for (Rule r : rules) {
      JsonObject json = new JsonObject();
      putIfSet(json, "address", r.options.getAddress());
      putIfSet(json, "addressRegex", r.options.getAddressRegex());
      putIfSet(json, "match", r.options.getMatch());
      putIfSet(json, "requiredRole", r.options.getRequiredAuthority());
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

  /**
   * The verdict on one address: permitted or not, why not, and for an outbound address permitted only by rules with a
   * {@code match}, the filter every message must pass ({@link #accepts}).
   */
  public static final class Check {
    private final boolean permitted;
    private final String reason;
    private final List<Delivery.Form<Boolean>> filters;

    private Check(boolean permitted, String reason, List<Delivery.Form<Boolean>> filters) {
      this.permitted = permitted;
      this.reason = reason;
      this.filters = filters;
    }

    public boolean permitted() {
      return permitted;
    }

    /** @return why it is not permitted, a sentence naming the address; {@code null} when permitted */
    public String reason() {
      return reason;
    }

    /** @return whether each message must pass {@link #accepts} */
    public boolean filtered() {
      return filters != null;
    }

    /**
     * @return whether a permitted subscription receives {@code delivery}: always, unless the permitting rules have a
     * {@code match}, which the message body must then pass (evaluated once per delivery and rule, for all sessions)
     */
    public boolean accepts(Delivery delivery) {
      if (!permitted) {
        return false;
      }
      if (filters == null) {
        return true;
      }
      for (Delivery.Form<Boolean> filter : filters) {
        if (delivery.encoded(filter)) {
          return true;
        }
      }
      return false;
    }
  }

  /** One compiled rule. */
  private static final class Rule {
    private static final String USER_GROUP = "inosuser";

    final PermittedOptions options;
    final boolean perUser;
    final Pattern regex;
    final int userGroups;
    final Delivery.Form<Boolean> filter;

    Rule(PermittedOptions options, String where) {
      this.options = options;
      String template = options.getAddress() != null ? options.getAddress() : options.getAddressRegex();
      this.perUser = template != null && template.contains(USER_PLACEHOLDER);
      if (options.getAddress() == null && options.getAddressRegex() != null) {
        // {user_id} becomes a named group matching one segment, compared with the user id after the match: the
        // regex is compiled once, here, and nothing a client sends is ever compiled
        String source = options.getAddressRegex();
        int groups = 0;
        for (int at = source.indexOf(USER_PLACEHOLDER); at >= 0; at = source.indexOf(USER_PLACEHOLDER)) {
          source = source.substring(0, at) + "(?<" + USER_GROUP + groups + ">[^:]+)"
            + source.substring(at + USER_PLACEHOLDER.length());
          groups++;
        }
        try {
          this.regex = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("bridge rules: '" + where + ".addressRegex' is not a regular expression: "
            + e.getDescription());
        }
        this.userGroups = groups;
      } else {
        this.regex = null;
        this.userGroups = 0;
      }
      JsonObject match = options.getMatch();
      this.filter = match == null ? null
        : Delivery.Form.of(where + ".match", delivery -> delivery.jsonObject() != null
          ? structureMatches(match, delivery.jsonObject()) : delivery.body() == null);
    }

    String role() {
      return options.getRequiredAuthority();
    }

    boolean holdsRole(BridgeIdentity who) {
      return role() == null || who.hasRole(role());
    }

    boolean permitsAddress(String address, BridgeIdentity who) {
      String user = who.userId();
      if (perUser && (user == null || user.isEmpty())) {
        return false;
      }
      if (options.getAddress() != null) {
        String expected = perUser ? options.getAddress().replace(USER_PLACEHOLDER, user) : options.getAddress();
        return expected.equals(address);
      }
      if (regex == null) {
        return true;
      }
      Matcher m = regex.matcher(address);
      if (!m.matches()) {
        return false;
      }
      for (int i = 0; i < userGroups; i++) {
        if (!user.equals(m.group(USER_GROUP + i))) {
          return false;
        }
      }
      return true;
    }
  }
}
