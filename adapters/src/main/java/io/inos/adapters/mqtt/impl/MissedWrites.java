package io.inos.adapters.mqtt.impl;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a Redis store could not write (a topic, a client id): written again, as memory has it by then, once Redis takes
 * writes again. Writing the latest state whole, rather than replaying each missed command, makes the order of the
 * missed commands not matter.
 *
 * <p>Used on the adapter's context only.
 */
final class MissedWrites {

  private final MqttRedis redis;
  private final Consumer<String> write;
  private final Set<String> keys = new HashSet<>();
  private boolean scheduled;

  /** @param write writes one key again, whole */
  MissedWrites(MqttRedis redis, Consumer<String> write) {
    this.redis = redis;
    this.write = write;
  }

  /** The last write of {@code key} failed. */
  void add(String key) {
    keys.add(key);
    if (!scheduled) {
      scheduled = true;
      redis.retry(this::writeAgain);
    }
  }

  boolean contains(String key) {
    return keys.contains(key);
  }

  /** Writes every missed key again (a write that fails again is missed again). */
  void writeAgain() {
    scheduled = false;
    for (String key : List.copyOf(keys)) {
      keys.remove(key);
      write.accept(key);
    }
  }
}
