package io.inos.adapters.mqtt.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node-local subscription table of the MQTT adapter: a trie of topic levels whose edges are literal levels,
 * {@code +} and {@code #}. A publish walks one path per matching branch, so its cost grows with the topic's depth and
 * the matching subscriptions, not with the number of filters. Shared subscriptions ({@code $share/group/filter}) hang
 * at their filter's node by group, and each message goes to one member of each group, round robin, preferring
 * members that are online.
 *
 * <p>Used on the adapter's context only.
 */
final class TopicTrie {

  /** Told when a filter gets its first subscription on this node and when its last one goes. */
  interface FilterWatcher {
    FilterWatcher NONE = new FilterWatcher() {
      @Override
      public void first(String filter) {
      }

      @Override
      public void last(String filter) {
      }
    };

    void first(String filter);

    void last(String filter);
  }

  private final Node root = new Node(null, null);
  private final FilterWatcher watcher;
  private int size;

  TopicTrie() {
    this(FilterWatcher.NONE);
  }

  TopicTrie(FilterWatcher watcher) {
    this.watcher = watcher;
  }

  /** Adds {@code subscription}, replacing the same session's subscription to the same filter and group. */
  void add(Subscription subscription) {
    Node node = root;
    for (String level : subscription.filter().split("/", -1)) {
      node = node.child(level);
    }
    boolean first = node.unsubscribed();
    Map<ClientSession, Subscription> members = subscription.group() == null ? node.subscribers()
      : node.group(subscription.group()).members;
    if (members.put(subscription.session(), subscription) == null) {
      size++;
      if (first) {
        watcher.first(subscription.filter());
      }
    }
  }

  /** Removes a session's subscription; @return whether it existed */
  boolean remove(ClientSession session, String filter, String group) {
    Node node = root;
    for (String level : filter.split("/", -1)) {
      node = node.children == null ? null : node.children.get(level);
      if (node == null) {
        return false;
      }
    }
    boolean removed;
    if (group == null) {
      removed = node.subscribers != null && node.subscribers.remove(session) != null;
    } else {
      Group g = node.groups == null ? null : node.groups.get(group);
      removed = g != null && g.members.remove(session) != null;
      if (g != null && g.members.isEmpty()) {
        node.groups.remove(group);
      }
    }
    if (removed) {
      size--;
      if (node.unsubscribed()) {
        watcher.last(filter);
      }
      node.prune();
    }
    return removed;
  }

  /** @return how many subscriptions the trie holds */
  int size() {
    return size;
  }

  /** Calls {@code out} with each subscription matching {@code topic}: every plain one, one member per share group. */
  void match(String topic, Consumer<Subscription> out) {
    match(topic.split("/", -1), out);
  }

  /** As {@link #match(String, Consumer)}, for a topic split into its levels already. */
  void match(String[] levels, Consumer<Subscription> out) {
    List<Group> groups = new ArrayList<>(0);
    TopicMatch.walk(root, levels, node -> node.collect(out, groups));
    for (Group group : groups) {
      Subscription chosen = group.next();
      if (chosen != null) {
        out.accept(chosen);
      }
    }
  }

  /** One topic level. */
  private static final class Node implements TopicMatch.Level<Node> {
    final Node parent;
    final String level;
    Map<String, Node> children;
    Map<ClientSession, Subscription> subscribers;
    Map<String, Group> groups;

    Node(Node parent, String level) {
      this.parent = parent;
      this.level = level;
    }

    @Override
    public Node find(String name) {
      return children == null ? null : children.get(name);
    }

    Node child(String name) {
      if (children == null) {
        children = new HashMap<>(4);
      }
      return children.computeIfAbsent(name, n -> new Node(this, n));
    }

    Map<ClientSession, Subscription> subscribers() {
      if (subscribers == null) {
        subscribers = new LinkedHashMap<>(4);
      }
      return subscribers;
    }

    Group group(String name) {
      if (groups == null) {
        groups = new HashMap<>(2);
      }
      return groups.computeIfAbsent(name, n -> new Group());
    }

    void collect(Consumer<Subscription> out, List<Group> into) {
      if (subscribers != null) {
        for (Subscription s : subscribers.values()) {
          out.accept(s);
        }
      }
      if (groups != null) {
        into.addAll(groups.values());
      }
    }

    /** @return whether no subscription, plain or shared, ends at this level */
    boolean unsubscribed() {
      return (subscribers == null || subscribers.isEmpty()) && (groups == null || groups.isEmpty());
    }

    /** Drops this node and its empty ancestors. */
    void prune() {
      Node node = this;
      while (node.parent != null && (node.children == null || node.children.isEmpty()) && node.unsubscribed()) {
        node.parent.children.remove(node.level);
        node = node.parent;
      }
    }
  }

  /** The members of one share group at one filter, served round robin. */
  private static final class Group {
    final LinkedHashMap<ClientSession, Subscription> members = new LinkedHashMap<>();
    int next;

    Subscription next() {
      if (members.isEmpty()) {
        return null;
      }
      List<Subscription> all = new ArrayList<>(members.values());
      int n = all.size();
      for (int i = 0; i < n; i++) {
        Subscription candidate = all.get((next + i) % n);
        if (candidate.session().isOnline()) {
          next = (next + i + 1) % n;
          return candidate;
        }
      }
      // nobody online: queue at the next member's persistent session
      Subscription chosen = all.get(next % n);
      next = (next + 1) % n;
      return chosen;
    }
  }
}
