package io.inos.graceful;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the orchestration pipeline works on: one operation of one service and its {@link Outcome}.
 *
 * <p>The ids are fixed when the context is made; {@link #metadata()} is the one mutable part, owned by the
 * pipeline while it runs (hooks run one after the other, never concurrently), so hooks can normalise it in place
 * and later hooks (ledger, emission) see the result. {@link #attribute(String, Object)} lets a hook hand
 * something to a later one.
 *
 * <p>The time the outcome was known is read once, when the context is made ({@link #completedAt()}), and formatted
 * once ({@link #completedAtText()}), so every hook and the outcome event agree on it.
 */
public final class OutcomeContext {

  private final String service;
  private final String action;
  private final String requestEventId;
  private final String outcomeEventId;
  private final String correlationId;
  private final String userId;
  private final String campaignId;
  private final Outcome outcome;
  private final Instant startedAt;
  private final Instant completedAt;
  private String completedAtText;
  /** Replaced by a copy when a hook asks for it after {@link #snapshotMetadata()} handed it out. */
  private JsonObject metadata;
  private boolean metadataHandedOut;
  private final Map<String, Object> attributes = new HashMap<>(4);
  private final Map<String, Throwable> hookFailures = new LinkedHashMap<>(2);

  private OutcomeContext(Builder b) {
    this.service = Objects.requireNonNull(b.service, "service");
    this.action = Objects.requireNonNull(b.action, "action");
    this.outcome = Objects.requireNonNull(b.outcome, "outcome");
    this.requestEventId = b.requestEventId;
    this.outcomeEventId = b.outcomeEventId;
    this.correlationId = b.correlationId;
    this.userId = b.userId;
    this.campaignId = b.campaignId;
    this.completedAt = b.completedAt == null ? Instant.now() : b.completedAt;
    this.startedAt = b.startedAt == null ? completedAt : b.startedAt;
    this.metadata = b.metadata == null ? new JsonObject() : b.metadata;
  }

  public static Builder builder(String service, String action, Outcome outcome) {
    return new Builder(service, action, outcome);
  }

  public String service() {
    return service;
  }

  public String action() {
    return action;
  }

  /** @return the id of the event that asked for the operation (the {@code :requested} event), or null */
  public String requestEventId() {
    return requestEventId;
  }

  /** @return the id the outcome event will carry, known before the hooks run so lineage can point at it */
  public String outcomeEventId() {
    return outcomeEventId;
  }

  public String correlationId() {
    return correlationId;
  }

  public String userId() {
    return userId;
  }

  public String campaignId() {
    return campaignId;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** @return when the operation started, for durations */
  public Instant startedAt() {
    return startedAt;
  }

  /** @return when the outcome was known (the context was made, unless the builder said otherwise) */
  public Instant completedAt() {
    return completedAt;
  }

  /** @return {@link #completedAt()} as RFC 3339 text, formatted once for every hook that writes it */
  public String completedAtText() {
    String text = completedAtText;
    if (text == null) {
      text = Timestamps.format(completedAt);
      completedAtText = text;
    }
    return text;
  }

  /** @return the operation's metadata, mutable while the pipeline runs */
  public JsonObject metadata() {
    if (metadataHandedOut) {
      // someone keeps the object snapshotMetadata() returned: changes from now on go to a copy
      metadata = metadata.copy();
      metadataHandedOut = false;
    }
    return metadata;
  }

  /**
   * The metadata as it stands, for a value that keeps it without copying (the outcome event). The caller must not
   * change it. Nothing else will either: a later {@link #metadata()} call hands out a copy (copy on write), so what
   * was taken here stays as it was.
   *
   * @return the metadata, not to be changed
   */
  public JsonObject snapshotMetadata() {
    metadataHandedOut = true;
    return metadata;
  }

  /** Hands {@code value} to the hooks that run after this one. */
  public OutcomeContext attribute(String key, Object value) {
    attributes.put(key, value);
    return this;
  }

  @SuppressWarnings("unchecked")
  public <T> T attribute(String key) {
    return (T) attributes.get(key);
  }

  /**
   * @return the hooks that failed or threw while the pipeline ran, by name, in the order they ran (empty when all
   * went well); a read-only view
   */
  public Map<String, Throwable> hookFailures() {
    return Collections.unmodifiableMap(hookFailures);
  }

  /** Called by the {@link Pipeline} when a hook fails. */
  void hookFailed(String hook, Throwable cause) {
    hookFailures.put(hook, cause);
  }

  /** Builds an {@link OutcomeContext}. */
  public static final class Builder {
    private final String service;
    private final String action;
    private final Outcome outcome;
    private String requestEventId;
    private String outcomeEventId;
    private String correlationId;
    private String userId;
    private String campaignId;
    private Instant startedAt;
    private Instant completedAt;
    private JsonObject metadata;

    private Builder(String service, String action, Outcome outcome) {
      this.service = service;
      this.action = action;
      this.outcome = outcome;
    }

    public Builder requestEventId(String id) {
      this.requestEventId = id;
      return this;
    }

    public Builder outcomeEventId(String id) {
      this.outcomeEventId = id;
      return this;
    }

    public Builder correlationId(String id) {
      this.correlationId = id;
      return this;
    }

    public Builder userId(String id) {
      this.userId = id;
      return this;
    }

    public Builder campaignId(String id) {
      this.campaignId = id;
      return this;
    }

    public Builder startedAt(Instant at) {
      this.startedAt = at;
      return this;
    }

    /** @param at when the outcome was known (default: when {@link #build()} is called) */
    public Builder completedAt(Instant at) {
      this.completedAt = at;
      return this;
    }

    /** @param metadata taken as it is (not copied): the pipeline normalises it in place */
    public Builder metadata(JsonObject metadata) {
      this.metadata = metadata;
      return this;
    }

    public OutcomeContext build() {
      return new OutcomeContext(this);
    }
  }
}
