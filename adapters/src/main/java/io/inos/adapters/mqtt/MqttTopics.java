package io.inos.adapters.mqtt;

/**
 * The one mapping between MQTT topics and Nexus addresses, and the MQTT topic rules.
 *
 * <p><b>Mapping</b>, the same in both directions: topic levels separated by {@code /} are address segments separated
 * by {@code :}. {@code campaign/42} ⇄ {@code campaign:42}, {@code content/create_content/v1/completed} ⇄
 * {@code content:create_content:v1:completed}, {@code user/alice} ⇄ {@code user:alice}. It is a bijection because a
 * topic level may not contain {@code :} (such a topic is refused as invalid) and an address holding {@code /} has no
 * topic (it never reaches MQTT clients).
 *
 * <p><b>Rules</b> (MQTT 3.1.1 and 5, section 4.7): a topic name is 1 to 65,535 UTF-8 bytes, without {@code +},
 * {@code #} or U+0000; a filter may use {@code +} as a whole level and {@code #} as the whole last level; filters
 * starting with a wildcard do not match topics starting with {@code $}. Shared subscriptions are
 * {@code $share/{group}/{filter}}.
 */
public final class MqttTopics {

  /** The prefix of a shared subscription. */
  public static final String SHARE_PREFIX = "$share/";
  private static final int MAX_TOPIC_BYTES = 65_535;

  private MqttTopics() {
  }

  /** @return the Nexus address of {@code topic}, e.g. {@code campaign:42} for {@code campaign/42} */
  public static String toAddress(String topic) {
    return topic.replace('/', ':');
  }

  /**
   * @return the MQTT topic of {@code address}, e.g. {@code campaign/42} for {@code campaign:42}, or {@code null} when
   * the address has no topic (it holds a {@code /})
   */
  public static String toTopic(String address) {
    return address.indexOf('/') >= 0 ? null : address.replace(':', '/');
  }

  /** @return why {@code topic} is no valid topic name to publish to, or {@code null} when it is one */
  public static String invalidTopicName(String topic) {
    if (topic == null || topic.isEmpty()) {
      return "the topic is empty";
    }
    if (topic.length() * 3 > MAX_TOPIC_BYTES && utf8Length(topic) > MAX_TOPIC_BYTES) {
      return "the topic is longer than " + MAX_TOPIC_BYTES + " bytes";
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#') {
        return "a topic name may not hold the wildcard '" + c + "'";
      }
      if (c == ':') {
        return "a topic level may not hold ':' (it separates the segments of the mapped address)";
      }
      if (c == 0) {
        return "a topic may not hold U+0000";
      }
    }
    return null;
  }

  /** @return why {@code filter} is no valid topic filter (without its {@code $share/group/} prefix), or {@code null} */
  public static String invalidFilter(String filter) {
    if (filter == null || filter.isEmpty()) {
      return "the topic filter is empty";
    }
    if (filter.length() * 3 > MAX_TOPIC_BYTES && utf8Length(filter) > MAX_TOPIC_BYTES) {
      return "the topic filter is longer than " + MAX_TOPIC_BYTES + " bytes";
    }
    int n = filter.length();
    for (int i = 0; i < n; i++) {
      char c = filter.charAt(i);
      boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
      boolean levelEnd = i == n - 1 || filter.charAt(i + 1) == '/';
      if (c == '+' && !(levelStart && levelEnd)) {
        return "'+' must be a whole level";
      }
      if (c == '#' && !(levelStart && i == n - 1)) {
        return "'#' must be the whole last level";
      }
      if (c == ':') {
        return "a topic level may not hold ':' (it separates the segments of the mapped address)";
      }
      if (c == 0) {
        return "a topic filter may not hold U+0000";
      }
    }
    return null;
  }

  /** @return whether {@code filter} holds a wildcard */
  public static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /** @return whether {@code filter} is a shared subscription {@code $share/{group}/{filter}} */
  public static boolean isShared(String filter) {
    return filter.startsWith(SHARE_PREFIX);
  }

  /**
   * @return the group and the filter of a shared subscription {@code $share/{group}/{filter}}, or {@code null} when
   * it is malformed (no group, a group with a wildcard, no filter)
   */
  public static String[] splitShared(String shared) {
    int slash = shared.indexOf('/', SHARE_PREFIX.length());
    if (slash <= SHARE_PREFIX.length() || slash == shared.length() - 1) {
      return null;
    }
    String group = shared.substring(SHARE_PREFIX.length(), slash);
    if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
      return null;
    }
    return new String[] {group, shared.substring(slash + 1)};
  }

  /** @return whether the valid filter {@code filter} matches the valid topic name {@code topic} */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int f = 0;
    int t = 0;
    int fn = filter.length();
    int tn = topic.length();
    while (true) {
      int fEnd = filter.indexOf('/', f);
      if (fEnd < 0) {
        fEnd = fn;
      }
      if (fEnd - f == 1 && filter.charAt(f) == '#') {
        return true;
      }
      int tEnd = topic.indexOf('/', t);
      if (tEnd < 0) {
        tEnd = tn;
      }
      boolean plus = fEnd - f == 1 && filter.charAt(f) == '+';
      if (!plus && (fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f))) {
        return false;
      }
      boolean lastOfFilter = fEnd == fn;
      boolean lastOfTopic = tEnd == tn;
      if (lastOfTopic && !lastOfFilter) {
        // the topic has fewer levels: only a last "#" level matches its parent ("a/#" matches "a")
        return fn - fEnd == 2 && filter.charAt(fn - 1) == '#';
      }
      if (lastOfFilter) {
        // the same number of levels, counting empty ones ("a/b/" has three)
        return lastOfTopic;
      }
      f = fEnd + 1;
      t = tEnd + 1;
    }
  }

  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
