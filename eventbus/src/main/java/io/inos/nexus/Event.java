package io.inos.nexus;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The canonical event envelope of the Nexus, an immutable value.
 *
 * <p>Its JSON form ({@link #toJson()}) is the original INOS wire envelope, with snake_case keys:
 * <pre>{
 *   "id": "…", "type": "campaign:create_campaign:v1:requested",
 *   "correlation_id": "…", "causation_id": "…", "timestamp": "2026-11-27T16:00:00Z",
 *   "version": "1.0.0", "environment": "development", "source": "frontend",
 *   "metadata": {"global_context": {"user_id": "…", "campaign_id": "0", "correlation_id": "…", …}, …},
 *   "payload": {"data": {…}}
 * }</pre>
 * The JSON parts are copied in and copied out, so no holder of an event can change what another sees.
 * Inside one JVM the {@link EventCodec} passes the value itself, without copying or encoding.
 */
public final class Event {

  /** The envelope version this code writes. */
  public static final String ENVELOPE_VERSION = "1.0.0";

  private final String id;
  private final EventType type;
  private final String correlationId;
  private final String causationId;
  private final Instant timestamp;
  private final String version;
  private final String environment;
  private final String source;
  private final JsonObject metadata;
  private final JsonObject payload;

  private Event(Builder b) {
    this.type = Objects.requireNonNull(b.type, "type");
    this.id = b.id == null ? UUID.randomUUID().toString() : b.id;
    this.timestamp = b.timestamp == null ? Instant.now() : b.timestamp;
    this.version = b.version == null ? ENVELOPE_VERSION : b.version;
    this.environment = b.environment;
    this.source = b.source;
    this.causationId = b.causationId;
    JsonObject md = b.metadata == null ? new JsonObject() : b.metadata.copy();
    JsonObject gc = md.getValue("global_context") instanceof JsonObject g ? g : new JsonObject();
    md.put("global_context", gc);
    String corr = b.correlationId;
    if (corr == null || corr.isEmpty()) {
      corr = gc.getValue("correlation_id") instanceof String s && !s.isEmpty() ? s : UUID.randomUUID().toString();
    }
    this.correlationId = corr;
    gc.put("correlation_id", corr);
    this.metadata = md;
    this.payload = b.payload == null ? new JsonObject() : b.payload.copy();
  }

  /** @return a builder for an event of {@code type} */
  public static Builder builder(EventType type) {
    return new Builder(type);
  }

  /** @return a builder for an event of {@code type}, parsed */
  public static Builder builder(String type) {
    return new Builder(EventType.parse(type));
  }

  /**
   * The event that follows this one in its lifecycle: same correlation id and global context, caused by this one,
   * with a new id, the given state and payload.
   */
  public Builder next(EventState state) {
    return new Builder(type.withState(state))
      .correlationId(correlationId)
      .causationId(id)
      .environment(environment)
      .metadata(metadata);
  }

  public String id() {
    return id;
  }

  public EventType type() {
    return type;
  }

  public String correlationId() {
    return correlationId;
  }

  /** @return the id of the event that caused this one, or {@code null} */
  public String causationId() {
    return causationId;
  }

  public Instant timestamp() {
    return timestamp;
  }

  public String version() {
    return version;
  }

  public String environment() {
    return environment;
  }

  public String source() {
    return source;
  }

  /** @return a copy of the metadata (which always holds {@code global_context}) */
  public JsonObject metadata() {
    return metadata.copy();
  }

  /** @return a copy of the payload */
  public JsonObject payload() {
    return payload.copy();
  }

  /** @return a copy of {@code payload.data} when it is an object, else an empty object */
  public JsonObject data() {
    return payload.getValue("data") instanceof JsonObject d ? d.copy() : new JsonObject();
  }

  /** @return a {@code global_context} field as a string, or {@code null} */
  public String globalContext(String key) {
    Object value = metadata.getJsonObject("global_context").getValue(key);
    return value == null ? null : value.toString();
  }

  public String userId() {
    return globalContext("user_id");
  }

  public String campaignId() {
    return globalContext("campaign_id");
  }

  /** @return the wire envelope, a fresh object the caller may change */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("type", type.toString())
      .put("correlation_id", correlationId);
    if (causationId != null) {
      json.put("causation_id", causationId);
    }
    json.put("timestamp", timestamp.toString()).put("version", version);
    if (environment != null) {
      json.put("environment", environment);
    }
    if (source != null) {
      json.put("source", source);
    }
    return json.put("metadata", metadata.copy()).put("payload", payload.copy());
  }

  /**
   * Reads a wire envelope. A missing id, timestamp or correlation id is supplied (the correlation id from
   * {@code metadata.global_context.correlation_id} when given, else a new one).
   *
   * @throws InvalidEventTypeException when the type is missing or invalid
   * @throws IllegalArgumentException when another field has the wrong shape; the message names the field
   */
  public static Event fromJson(JsonObject json) {
    Object type = json.getValue("type");
    if (!(type instanceof String t)) {
      throw new InvalidEventTypeException(String.valueOf(type), type == null ? "the field 'type' is missing"
        : "the field 'type' must be a string");
    }
    Builder b = builder(EventType.parse(t));
    b.id = string(json, "id");
    if (b.id != null && b.id.isEmpty()) {
      b.id = null; // an empty id is no id: it would make every such event a duplicate of the first
    }
    b.correlationId = string(json, "correlation_id");
    b.causationId = string(json, "causation_id");
    b.environment = string(json, "environment");
    b.source = string(json, "source");
    b.version = string(json, "version");
    String ts = string(json, "timestamp");
    if (ts != null) {
      b.timestamp = timestamp(ts);
    }
    b.metadata = object(json, "metadata");
    if (b.metadata != null && b.metadata.containsKey("global_context")
      && !(b.metadata.getValue("global_context") instanceof JsonObject)) {
      throw new IllegalArgumentException("field 'metadata.global_context' must be an object");
    }
    b.payload = object(json, "payload");
    if (b.id != null && b.id.length() > 128) {
      throw new IllegalArgumentException("field 'id' is longer than 128 characters");
    }
    return b.build();
  }

  /** Parses a JSON text envelope; see {@link #fromJson(JsonObject)}. */
  public static Event fromJson(String text) {
    if (text == null) {
      throw new IllegalArgumentException("not a JSON object: nothing");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
    }
    return fromJson(json);
  }

  /** RFC 3339: {@code Z} or a numeric offset (the original Go services write their local offset). */
  private static Instant timestamp(String text) {
    try {
      return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field 'timestamp': '" + text + "' is not an RFC 3339 timestamp");
    }
  }

  private static String string(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("field '" + key + "' must be a string");
    }
    return s;
  }

  private static JsonObject object(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException("field '" + key + "' must be an object");
    }
    return o;
  }

  @Override
  public String toString() {
    return type + "#" + id + " (correlation " + correlationId + ")";
  }

  /** Builds an {@link Event}; JSON given to it is copied when the event is built. */
  public static final class Builder {
    private final EventType type;
    private String id;
    private String correlationId;
    private String causationId;
    private Instant timestamp;
    private String version;
    private String environment;
    private String source;
    private JsonObject metadata;
    private JsonObject payload;

    private Builder(EventType type) {
      this.type = type;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder causationId(String causationId) {
      this.causationId = causationId;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder metadata(JsonObject metadata) {
      this.metadata = metadata;
      return this;
    }

    /** Sets one {@code global_context} field, creating the metadata as needed. */
    public Builder globalContext(String key, String value) {
      JsonObject md = metadata == null ? new JsonObject() : metadata.copy();
      JsonObject gc = md.getValue("global_context") instanceof JsonObject g ? g : new JsonObject();
      md.put("global_context", gc.put(key, value));
      this.metadata = md;
      return this;
    }

    public Builder payload(JsonObject payload) {
      this.payload = payload;
      return this;
    }

    /** Sets the payload to {@code {"data": data}}. */
    public Builder data(JsonObject data) {
      this.payload = new JsonObject().put("data", data == null ? new JsonObject() : data);
      return this;
    }

    public Event build() {
      return new Event(this);
    }
  }
}
