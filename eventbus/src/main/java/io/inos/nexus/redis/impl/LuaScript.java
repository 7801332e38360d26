package io.inos.nexus.redis.impl;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}), so the hot path sends a 40-byte name, not the script. The
 * {@link RedisLink} loads every script each time it (re)connects; a Redis that lost them meanwhile answers
 * {@code NOSCRIPT}, and the link loads them again and retries once.
 */
public final class LuaScript {

  private final String name;
  private final String source;
  private final String sha;

  LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
        .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  String name() {
    return name;
  }

  Request load() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
  }

  /** @return an EVALSHA request with the keys and arguments, to send or batch */
  Request call(String[] keys, Object... args) {
    Request r = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.length);
    for (String k : keys) {
      r.arg(k);
    }
    for (Object a : args) {
      if (a instanceof byte[] bytes) {
        r.arg(bytes);
      } else if (a instanceof io.vertx.core.buffer.Buffer buffer) {
        r.arg(buffer);
      } else if (a instanceof Long l) {
        r.arg(l);
      } else if (a instanceof Integer i) {
        r.arg(i);
      } else {
        r.arg(String.valueOf(a));
      }
    }
    return r;
  }
}
