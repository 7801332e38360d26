package io.inos.adapters.mqtt.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which MQTT brokers of the cluster want what: a trie of topic filters (literal levels, {@code +}, {@code #}) whose
 * entries are broker ids, one entry per distinct filter and broker however many sessions subscribed it there. A
 * message (an MQTT topic, or the Nexus address it maps to) is matched once to find the brokers to hand it to.
 *
 * <p>Read on any thread (every event-bus publish of the node is matched, on the publisher's thread); changed under
 * the table's lock, rarely (a broker's first subscription to a filter, its last one gone, a broker joining or
 * leaving). Readers see each change whole: a level's broker ids are an array replaced on change.
 */
final class InterestTable {

  private static final String[] NONE = new String[0];

  private final Level root = new Level(null, null);
  /** broker id → its filters, to replace or drop a broker's interest whole */
  private final Map<String, Set<String>> byBroker = new HashMap<>();
  private volatile int filters;

  /** @return whether no broker wants anything: the common case for a node without MQTT clients, and the fast exit */
  boolean isEmpty() {
    return filters == 0;
  }

  /** @return how many (broker, filter) entries the table holds */
  int size() {
    return filters;
  }

  synchronized void add(String broker, String filter) {
    if (!byBroker.computeIfAbsent(broker, b -> new java.util.HashSet<>()).add(filter)) {
      return;
    }
    Level level = root;
    for (String name : filter.split("/", -1)) {
      level = level.child(name);
    }
    level.brokers = append(level.brokers, broker);
    filters++;
  }

  synchronized void remove(String broker, String filter) {
    Set<String> own = byBroker.get(broker);
    if (own == null || !own.remove(filter)) {
      return;
    }
    if (own.isEmpty()) {
      byBroker.remove(broker);
    }
    Level level = root;
    for (String name : filter.split("/", -1)) {
      level = level.children == null ? null : level.children.get(name);
      if (level == null) {
        return;
      }
    }
    level.brokers = without(level.brokers, broker);
    filters--;
    level.prune();
  }

  /** Makes {@code filters} the whole interest of {@code broker} (a snapshot it sent). */
  synchronized void replace(String broker, Collection<String> filters) {
    forget(broker);
    for (String filter : filters) {
      add(broker, filter);
    }
  }

  /** Drops every filter of {@code broker} (it left). */
  synchronized void forget(String broker) {
    Set<String> own = byBroker.get(broker);
    if (own != null) {
      for (String filter : List.copyOf(own)) {
        remove(broker, filter);
      }
    }
  }

  /** Drops the brokers {@code gone} says are gone (their node left the cluster). */
  synchronized void forgetIf(Predicate<String> gone) {
    for (String broker : List.copyOf(byBroker.keySet())) {
      if (gone.test(broker)) {
        forget(broker);
      }
    }
  }

  /** @return the filters {@code broker} wants now */
  synchronized List<String> filtersOf(String broker) {
    Set<String> own = byBroker.get(broker);
    return own == null ? List.of() : List.copyOf(own);
  }

  /**
   * @return a digest of {@code broker}'s filters (their number and the sum of their hashes), which two nodes compare
   * to find out whether they agree on it without sending the filters
   */
  synchronized String digestOf(String broker) {
    Set<String> own = byBroker.get(broker);
    long sum = 0;
    if (own != null) {
      for (String filter : own) {
        sum += filter.hashCode();
      }
    }
    return (own == null ? 0 : own.size()) + ":" + sum;
  }

  /**
   * The brokers with a filter matching the topic whose levels are {@code levels} (a topic split at {@code /}, or an
   * address split at {@code :}), each once.
   *
   * @return the broker ids, empty when none; usually one or two, so a list is the cheapest set
   */
  List<String> match(String[] levels) {
    List<String> out = new ArrayList<>(2);
    TopicMatch.walk(root, levels, level -> collect(level.brokers, out));
    return out;
  }

  private static void collect(String[] brokers, List<String> out) {
    for (String broker : brokers) {
      if (!out.contains(broker)) {
        out.add(broker);
      }
    }
  }

  private static String[] append(String[] brokers, String broker) {
    String[] more = Arrays.copyOf(brokers, brokers.length + 1);
    more[brokers.length] = broker;
    return more;
  }

  private static String[] without(String[] brokers, String broker) {
    int at = Arrays.asList(brokers).indexOf(broker);
    if (at < 0) {
      return brokers;
    }
    if (brokers.length == 1) {
      return NONE;
    }
    String[] fewer = new String[brokers.length - 1];
    System.arraycopy(brokers, 0, fewer, 0, at);
    System.arraycopy(brokers, at + 1, fewer, at, brokers.length - at - 1);
    return fewer;
  }

  /** One filter level. */
  private static final class Level implements TopicMatch.Level<Level> {
    final Level parent;
    final String name;
    /** made on first child, then read without a lock */
    volatile Map<String, Level> children;
    volatile String[] brokers = NONE;

    Level(Level parent, String name) {
      this.parent = parent;
      this.name = name;
    }

    @Override
    public Level find(String childName) {
      Map<String, Level> now = children;
      return now == null ? null : now.get(childName);
    }

    Level child(String childName) {
      if (children == null) {
        children = new ConcurrentHashMap<>(4);
      }
      return children.computeIfAbsent(childName, n -> new Level(this, n));
    }

    void prune() {
      Level level = this;
      while (level.parent != null && level.brokers.length == 0
        && (level.children == null || level.children.isEmpty())) {
        level.parent.children.remove(level.name);
        level = level.parent;
      }
    }
  }
}
