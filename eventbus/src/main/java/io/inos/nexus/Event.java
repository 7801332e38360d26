package io.inos.nexus;

import io.inos.graceful.Timestamps;
import io.inos.nexus.impl.JsonCopy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

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
 *
 * <p>Because no holder can change them, events share their JSON parts with each other where they are equal: the
 * events of one lifecycle ({@link #next}) share the metadata of the event before them, and the Nexus's own code
 * (this package) hands over JSON it has just made or parsed instead of copying it again. Only JSON that comes from
 * outside (the public builder methods, {@link #fromJson(JsonObject)}) is copied, once, when the event is built.
 */
public final class Event {

  /** The envelope version this code writes. */
  public static final String ENVELOPE_VERSION = "1.0.0";
  /** Not a value: a field cached on first use that has not been read yet (compared by identity). */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String UNREAD = new String("unread");

  private final String id;
  private final EventType type;
  private final String correlationId;
  private final String causationId;
  private final Instant timestamp;
  private final String version;
  private final String environment;
  private final String source;
  /** Never changed once the event is built, and never handed out: getters return copies. */
  private final JsonObject metadata;
  /** {@code metadata.global_context}, looked up once. */
  private final JsonObject globalContext;
  /** {@link #userId()} and {@link #campaignId()}, looked up when first asked ({@link #UNREAD} until then). */
  private String userId = UNREAD;
  private String campaignId = UNREAD;
  private final JsonObject payload;

  /** Whose a builder's JSON is, and so whether the event must copy it. */
  enum Ownership {
    /** The caller's: copied when the event is built (every public builder method). */
    COPY,
    /** Handed over, made for this event alone: taken as it is, and the event may complete it in place. */
    OWNED,
    /** Another event's: taken as it is and never changed; copied first if it must change. */
    SHARED
  }

  private Event(Builder b) {
    this.type = Objects.requireNonNull(b.type, "type");
    this.id = b.id == null ? EventIds.next() : b.id;
    this.timestamp = b.timestamp == null ? Instant.now() : b.timestamp;
    this.version = b.version == null ? ENVELOPE_VERSION : b.version;
    this.environment = b.environment;
    this.source = b.source;
    this.causationId = b.causationId;

    JsonObject md = b.metadata;
    boolean mayChange = true;
    if (md == null) {
      md = new JsonObject();
    } else if (b.metadataOwnership == Ownership.COPY) {
      md = JsonCopy.of(md);
    } else if (b.metadataOwnership == Ownership.SHARED) {
      mayChange = false;
    }
    JsonObject gc = md.getValue("global_context") instanceof JsonObject g ? g : null;
    String corr = b.correlationId;
    if (corr == null || corr.isEmpty()) {
      corr = gc != null && gc.getValue("correlation_id") instanceof String c && !c.isEmpty() ? c : EventIds.next();
    }
    // the envelope and global_context always hold the same correlation id
    if (gc == null || !corr.equals(gc.getValue("correlation_id"))) {
      if (!mayChange) {
        md = JsonCopy.of(md);
        gc = md.getValue("global_context") instanceof JsonObject g ? g : null;
      }
      if (gc == null) {
        gc = new JsonObject();
      }
      md.put("global_context", gc);
      gc.put("correlation_id", corr);
    }
    this.correlationId = corr;
    this.metadata = md;
    this.globalContext = gc;

    JsonObject pl = b.payload;
    if (pl == null) {
      pl = new JsonObject();
    } else if (b.payloadOwnership == Ownership.COPY) {
      pl = JsonCopy.of(pl);
    }
    this.payload = pl;
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
      .shareMetadata(metadata);
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
    return JsonCopy.of(metadata);
  }

  /** @return a copy of the payload */
  public JsonObject payload() {
    return JsonCopy.of(payload);
  }

  /** @return a copy of {@code payload.data} when it is an object, else an empty object */
  public JsonObject data() {
    return payload.getValue("data") instanceof JsonObject d ? JsonCopy.of(d) : new JsonObject();
  }

  /** @return a {@code global_context} field as a string, or {@code null} */
  public String globalContext(String key) {
    Object value = globalContext.getValue(key);
    return value == null ? null : value.toString();
  }

  /** @return the metadata itself, for this package's code that reads it or shares it with another event */
  JsonObject metadataView() {
    return metadata;
  }

  /** @return the payload itself, for this package's code that reads it or shares it with another event */
  JsonObject payloadView() {
    return payload;
  }

  /** @return {@code payload.data} itself when it is an object, else {@code null}; see {@link #payloadView()} */
  JsonObject dataView() {
    return payload.getValue("data") instanceof JsonObject d ? d : null;
  }

  public String userId() {
    String id = userId;
    if (id == UNREAD) {
      // racy but safe: every thread computes the same immutable value
      id = globalContext("user_id");
      userId = id;
    }
    return id;
  }

  public String campaignId() {
    String id = campaignId;
    if (id == UNREAD) {
      id = globalContext("campaign_id");
      campaignId = id;
    }
    return id;
  }

  /** @return the wire envelope, a fresh object the caller may change */
  public JsonObject toJson() {
    return envelope(JsonCopy.of(metadata), JsonCopy.of(payload));
  }

  /**
   * @return the wire envelope holding this event's own metadata and payload, for this package's code that only
   * reads it (the codec writes it out); never to be changed or handed on
   */
  JsonObject wireView() {
    return envelope(metadata, payload);
  }

  private JsonObject envelope(JsonObject metadata, JsonObject payload) {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("type", type.toString())
      .put("correlation_id", correlationId);
    if (causationId != null) {
      json.put("causation_id", causationId);
    }
    json.put("timestamp", Timestamps.format(timestamp)).put("version", version);
    if (environment != null) {
      json.put("environment", environment);
    }
    if (source != null) {
      json.put("source", source);
    }
    return json.put("metadata", metadata).put("payload", payload);
  }

  /**
   * Reads a wire envelope. A missing id, timestamp or correlation id is supplied (the correlation id from
   * {@code metadata.global_context.correlation_id} when given, else a new one).
   *
   * @throws InvalidEventTypeException when the type is missing or invalid
   * @throws IllegalArgumentException when another field has the wrong shape; the message names the field
   */
  public static Event fromJson(JsonObject json) {
    return fromJson(json, Ownership.COPY);
  }

  /**
   * Reads a wire envelope this package has just parsed and nobody else holds: its metadata and payload are taken
   * as they are, without the copy {@link #fromJson(JsonObject)} makes.
   */
  static Event fromParsedJson(JsonObject json) {
    return fromJson(json, Ownership.OWNED);
  }

  private static Event fromJson(JsonObject json, Ownership ownership) {
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
    b.metadataOwnership = ownership;
    b.payload = object(json, "payload");
    b.payloadOwnership = ownership;
    if (b.id != null && b.id.length() > 128) {
      throw new IllegalArgumentException("field 'id' is longer than 128 characters");
    }
    return b.build();
  }

  /** Parses a JSON text envelope; see {@link #fromJson(JsonObject)}. */
  public static Event fromJson(String text) {
    return parse(text, () -> new JsonObject(text));
  }

  /** Parses a JSON envelope from bytes (UTF-8); see {@link #fromJson(JsonObject)}. */
  public static Event fromJson(Buffer bytes) {
    return parse(bytes, () -> new JsonObject(bytes));
  }

  /** Reads the envelope {@code parser} parses from {@code source}; the parsed tree is nobody else's. */
  private static Event parse(Object source, Supplier<JsonObject> parser) {
    if (source == null) {
      throw new IllegalArgumentException("not a JSON object: nothing");
    }
    JsonObject json;
    try {
      json = parser.get();
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
    }
    return fromParsedJson(json);
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
    private Ownership metadataOwnership = Ownership.COPY;
    private JsonObject payload;
    private Ownership payloadOwnership = Ownership.COPY;

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
      this.metadataOwnership = Ownership.COPY;
      return this;
    }

    /** Takes {@code metadata}, made for this event alone, without copying it. */
    Builder adoptMetadata(JsonObject metadata) {
      this.metadata = metadata;
      this.metadataOwnership = Ownership.OWNED;
      return this;
    }

    /** Takes another event's {@code metadata} without copying it; it is never changed. */
    Builder shareMetadata(JsonObject metadata) {
      this.metadata = metadata;
      this.metadataOwnership = Ownership.SHARED;
      return this;
    }

    /**
     * Sets one {@code global_context} field, creating the metadata as needed. The first call copies the metadata
     * given to {@link #metadata}; later calls change that copy, which the event then takes as it is.
     */
    public Builder globalContext(String key, String value) {
      if (metadataOwnership != Ownership.OWNED || metadata == null) {
        metadata = metadata == null ? new JsonObject() : JsonCopy.of(metadata);
        metadataOwnership = Ownership.OWNED;
      }
      JsonObject gc = metadata.getValue("global_context") instanceof JsonObject g ? g : new JsonObject();
      metadata.put("global_context", gc.put(key, value));
      return this;
    }

    public Builder payload(JsonObject payload) {
      this.payload = payload;
      this.payloadOwnership = Ownership.COPY;
      return this;
    }

    /** Takes {@code payload}, made for this event alone (or another event's), without copying it. */
    Builder adoptPayload(JsonObject payload) {
      this.payload = payload;
      this.payloadOwnership = Ownership.OWNED;
      return this;
    }

    /** Sets the payload to {@code {"data": data}}. */
    public Builder data(JsonObject data) {
      return payload(new JsonObject().put("data", data == null ? new JsonObject() : data));
    }

    public Event build() {
      Event event = new Event(this);
      // the event now holds what this builder owned: building again, or changing it, must copy first
      if (metadataOwnership == Ownership.OWNED) {
        metadataOwnership = Ownership.SHARED;
      }
      if (payloadOwnership == Ownership.OWNED) {
        payloadOwnership = Ownership.SHARED;
      }
      return event;
    }
  }
}
