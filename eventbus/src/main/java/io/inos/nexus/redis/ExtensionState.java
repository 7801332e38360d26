package io.inos.nexus.redis;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Whether the Redis extension can reach Redis, for {@code /ready} and operators.
 *
 * @param status UP or DOWN
 * @param reason why it is DOWN ({@code null} when UP)
 * @param since when it entered this status
 */
public record ExtensionState(Status status, String reason, Instant since) {

  public enum Status { UP, DOWN }

  public boolean isUp() {
    return status == Status.UP;
  }

  /** @return {@code {"status": "DOWN", "reason": "…", "since": "…"}} (no reason when UP) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("status", status.name()).put("since", since.toString());
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }
}
