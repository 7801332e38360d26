package io.inos.nexus.redis.impl;

import io.vertx.core.Vertx;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys seen within about a window: two generations swapped every half window, so a key is remembered between half
 * a window and a whole one, memory stays at the keys of one window, and no per-key timer or clock is needed.
 * Safe from any thread.
 */
final class SeenWindow {

  private volatile Set<String> current = ConcurrentHashMap.newKeySet();
  private volatile Set<String> previous = ConcurrentHashMap.newKeySet();
  private final long timer;
  private final Vertx vertx;

  SeenWindow(Vertx vertx, long windowMs) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(Math.max(1, windowMs / 2), id -> {
      previous = current;
      current = ConcurrentHashMap.newKeySet();
    });
  }

  /** @return whether {@code key} was not seen yet (and is now) */
  boolean add(String key) {
    if (previous.contains(key)) {
      return false;
    }
    return current.add(key);
  }

  boolean contains(String key) {
    return current.contains(key) || previous.contains(key);
  }

  void close() {
    vertx.cancelTimer(timer);
  }
}
