package io.inos.bench;

import io.inos.nexus.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The events the benchmarks send: a realistic envelope rather than an empty one, so that copying and encoding
 * cost what they cost in production.
 */
final class SampleEvents {

  /** The request type the benchmark service answers. */
  static final String ECHO_REQUESTED = "bench:echo:v1:requested";

  private SampleEvents() {
  }

  /** @return a fresh {@code payload.data} of ten fields, one of them a nested object, one an array */
  static JsonObject data() {
    return new JsonObject()
      .put("campaign_name", "Autumn launch")
      .put("description", "A campaign created from the benchmark, with a sentence or two of text in it.")
      .put("budget", 125_000.50)
      .put("currency", "EUR")
      .put("max_participants", 5_000)
      .put("public", true)
      .put("starts_at", "2026-12-01T09:00:00Z")
      .put("tags", new JsonArray().add("launch").add("autumn").add("b2c"))
      .put("owner", new JsonObject()
        .put("id", "4b1f6a0e-8c1e-4d4a-9a55-0c2f1d9e7b31")
        .put("display_name", "Ada Lovelace")
        .put("roles", new JsonArray().add("admin").add("author")))
      .put("settings", new JsonObject().put("moderated", false).put("locale", "en-GB").put("slots", 12));
  }

  /** @return a fresh {@code metadata} holding a {@code global_context} of six fields */
  static JsonObject metadata() {
    return new JsonObject().put("global_context", new JsonObject()
      .put("user_id", "u-2f9c1a7e")
      .put("campaign_id", "c-41")
      .put("session_id", "s-8d0b5c3a-77e2-4f21-9c1b-2a6e4d9f0c11")
      .put("device_id", "d-ios-16f2")
      .put("tenant_id", "t-inos")
      .put("locale", "en-GB"));
  }

  /**
   * @return a builder of a {@code :requested} event carrying {@code metadata} (see {@link #metadata()}; the
   * correlation id is added to its {@code global_context} when the event is built) and {@code data} as its payload
   */
  static Event.Builder requested(JsonObject metadata, JsonObject data) {
    return Event.builder(ECHO_REQUESTED)
      .source("frontend")
      .environment("development")
      .metadata(metadata)
      .data(data);
  }

  /** The same event as {@link #requested}, built the way handwritten callers do: one context field at a time. */
  static Event.Builder requestedFieldByField(JsonObject data) {
    return Event.builder(ECHO_REQUESTED)
      .source("frontend")
      .environment("development")
      .globalContext("user_id", "u-2f9c1a7e")
      .globalContext("campaign_id", "c-41")
      .globalContext("session_id", "s-8d0b5c3a-77e2-4f21-9c1b-2a6e4d9f0c11")
      .globalContext("device_id", "d-ios-16f2")
      .globalContext("tenant_id", "t-inos")
      .globalContext("locale", "en-GB")
      .data(data);
  }
}
