package io.inos.adapters.mqtt.impl;

import java.util.function.Consumer;

/**
 * How a topic meets a trie of filter levels, in one place for the node's subscription trie ({@link TopicTrie}) and
 * the cluster's interest table ({@link InterestTable}): literal levels, {@code +} for one level, {@code #} for the
 * rest (and the parent level: {@code a/#} matches {@code a}), and filters starting with a wildcard do not match
 * topics starting with {@code $} (MQTT 4.7.2).
 */
final class TopicMatch {

  /** One level of a filter trie. */
  interface Level<L extends Level<L>> {
    /** @return the child level named {@code name}, or {@code null} */
    L find(String name);
  }

  private TopicMatch() {
  }

  /**
   * Calls {@code matched} with every level of the trie under {@code root} where a filter matching the topic whose
   * levels are {@code levels} ends. A path is walked once per matching branch: the cost grows with the topic's depth
   * and the matching filters, not with the number of filters.
   */
  static <L extends Level<L>> void walk(L root, String[] levels, Consumer<L> matched) {
    walk(root, levels, 0, matched);
  }

  private static <L extends Level<L>> void walk(L level, String[] levels, int depth, Consumer<L> matched) {
    boolean dollar = depth == 0 && levels.length > 0 && levels[0].startsWith("$");
    L hash = dollar ? null : level.find("#");
    if (hash != null) {
      matched.accept(hash);
    }
    if (depth == levels.length) {
      return;
    }
    L exact = level.find(levels[depth]);
    if (exact != null) {
      if (depth + 1 == levels.length) {
        matched.accept(exact);
      }
      walk(exact, levels, depth + 1, matched);
    }
    L plus = dollar ? null : level.find("+");
    if (plus != null) {
      if (depth + 1 == levels.length) {
        matched.accept(plus);
      }
      walk(plus, levels, depth + 1, matched);
    }
  }
}
