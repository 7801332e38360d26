package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.inos.adapters.mqtt.RetainedStore;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Retained messages in a tree of topic levels. A filter without wildcards is one walk down its levels; a wildcard
 * filter visits only the branches it can match ({@code +} every child of one level, {@code #} one subtree), so
 * {@code sensors/room1/+} costs the same among ten or a hundred thousand topics. Expired messages are removed when a
 * match meets them.
 */
public final class InMemoryRetainedStore implements RetainedStore {

  private final int maxMessages;
  private final Consumer<String> onExpired;
  private final Node root = new Node();
  private int size;

  public InMemoryRetainedStore(int maxMessages) {
    this(maxMessages, topic -> { });
  }

  /** @param onExpired told the topic of each message removed because it expired */
  InMemoryRetainedStore(int maxMessages, Consumer<String> onExpired) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("a retained store must hold at least one message, was " + maxMessages);
    }
    this.maxMessages = maxMessages;
    this.onExpired = onExpired;
  }

  @Override
  public Future<Boolean> put(Publication message) {
    return Future.succeededFuture(keep(message));
  }

  /** {@link #put}, answered at once: @return {@code false} when the store is full and the topic is new */
  boolean keep(Publication message) {
    if (message.payload().length() == 0) {
      remove(message.topic());
      return true;
    }
    String[] levels = levels(message.topic());
    Node node = root;
    for (int i = 0; i < levels.length && node != null; i++) {
      node = node.children == null ? null : node.children.get(levels[i]);
    }
    boolean known = node != null && node.message != null;
    if (!known && size >= maxMessages) {
      return false;
    }
    node = root;
    for (String level : levels) {
      node = node.child(level);
    }
    node.message = message.withRetain(true);
    if (!known) {
      size++;
    }
    return true;
  }

  /** @return the message retained at {@code topic} now (expired or not), or {@code null} */
  Publication get(String topic) {
    Node node = root;
    for (String level : levels(topic)) {
      node = node.children == null ? null : node.children.get(level);
      if (node == null) {
        return null;
      }
    }
    return node.message;
  }

  /** Removes the message retained at {@code topic}, if any, and the branches left empty. */
  void remove(String topic) {
    String[] levels = levels(topic);
    Node[] path = new Node[levels.length + 1];
    path[0] = root;
    for (int i = 0; i < levels.length; i++) {
      Node next = path[i].children == null ? null : path[i].children.get(levels[i]);
      if (next == null) {
        return;
      }
      path[i + 1] = next;
    }
    Node leaf = path[levels.length];
    if (leaf.message == null) {
      return;
    }
    leaf.message = null;
    size--;
    for (int i = levels.length; i > 0 && path[i].isEmpty(); i--) {
      path[i - 1].children.remove(levels[i - 1]);
    }
  }

  @Override
  public Future<List<Publication>> match(String filter) {
    long now = System.currentTimeMillis();
    List<Publication> found = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    collect(root, levels(filter), 0, found, now, expired);
    for (String topic : expired) {
      remove(topic);
      onExpired.accept(topic);
    }
    return Future.succeededFuture(found);
  }

  private static void collect(Node node, String[] filter, int depth, List<Publication> found, long now,
                              List<String> expired) {
    if (depth == filter.length) {
      take(node, found, now, expired);
      return;
    }
    String level = filter[depth];
    if (level.equals("#")) {
      // "a/#" matches "a" too (MQTT 4.7.1.2); at the first level, wildcards skip the server's "$" topics
      take(node, found, now, expired);
      everything(node, depth == 0, found, now, expired);
      return;
    }
    if (node.children == null) {
      return;
    }
    if (level.equals("+")) {
      for (Map.Entry<String, Node> child : node.children.entrySet()) {
        if (depth > 0 || !child.getKey().startsWith("$")) {
          collect(child.getValue(), filter, depth + 1, found, now, expired);
        }
      }
      return;
    }
    Node child = node.children.get(level);
    if (child != null) {
      collect(child, filter, depth + 1, found, now, expired);
    }
  }

  private static void everything(Node node, boolean top, List<Publication> found, long now, List<String> expired) {
    if (node.children == null) {
      return;
    }
    for (Map.Entry<String, Node> child : node.children.entrySet()) {
      if (!top || !child.getKey().startsWith("$")) {
        take(child.getValue(), found, now, expired);
        everything(child.getValue(), false, found, now, expired);
      }
    }
  }

  private static void take(Node node, List<Publication> found, long now, List<String> expired) {
    Publication message = node.message;
    if (message == null) {
      return;
    }
    if (message.expired(now)) {
      expired.add(message.topic());
    } else {
      found.add(message);
    }
  }

  @Override
  public int size() {
    return size;
  }

  private static String[] levels(String topic) {
    // -1 keeps empty levels: "a//b" and "/a" are topics of their own
    return topic.split("/", -1);
  }

  /** One topic level: the message retained at the topic ending here, and the next levels. */
  private static final class Node {
    Map<String, Node> children;
    Publication message;

    Node child(String level) {
      if (children == null) {
        children = new HashMap<>(4);
      }
      return children.computeIfAbsent(level, l -> new Node());
    }

    boolean isEmpty() {
      return message == null && (children == null || children.isEmpty());
    }
  }
}
