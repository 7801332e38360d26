package io.inos.nexus;

import io.inos.graceful.Pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A service as the Nexus serves it: a name, its actions (each answering {@code {service}:{action}:v{n}:requested}),
 * and how its outcome pipeline differs from the Nexus default.
 */
public final class ServiceDefinition {

  private final String name;
  private final int version;
  private final Map<String, ActionHandler> actions;
  private final UnaryOperator<Pipeline> pipeline;
  private final long handlerTimeoutMs;

  private ServiceDefinition(Builder b) {
    this.name = b.name;
    this.version = b.version;
    this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(b.actions));
    this.pipeline = b.pipeline;
    this.handlerTimeoutMs = b.handlerTimeoutMs;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  public Map<String, ActionHandler> actions() {
    return actions;
  }

  /** @return how this service changes the Nexus default pipeline (identity by default) */
  public UnaryOperator<Pipeline> pipeline() {
    return pipeline;
  }

  /** @return the longest an action may run before it fails with DEADLINE_EXCEEDED; 0 = the Nexus default */
  public long handlerTimeoutMs() {
    return handlerTimeoutMs;
  }

  private static boolean isName(String name) {
    return name != null && name.length() <= EventType.MAX_NAME && EventType.isName(name);
  }

  /** Builds a {@link ServiceDefinition}. */
  public static final class Builder {
    private final String name;
    private int version = 1;
    private final Map<String, ActionHandler> actions = new LinkedHashMap<>();
    private UnaryOperator<Pipeline> pipeline = UnaryOperator.identity();
    private long handlerTimeoutMs;

    private Builder(String name) {
      if (!isName(name)) {
        throw new IllegalArgumentException("service name '" + name + "' must be lower-case snake_case of at most "
          + EventType.MAX_NAME + " characters");
      }
      this.name = name;
    }

    /** @param version the {@code v{n}} of the service's event types, 1 to 9999 (default 1) */
    public Builder version(int version) {
      if (version < 1 || version > 9999) {
        throw new IllegalArgumentException("version of service '" + name + "' must be 1 to 9999, was " + version);
      }
      this.version = version;
      return this;
    }

    public Builder action(String action, ActionHandler handler) {
      if (!isName(action)) {
        throw new IllegalArgumentException("action name '" + action + "' must be lower-case snake_case of at most "
          + EventType.MAX_NAME + " characters");
      }
      if (action.equals("health")) {
        throw new IllegalArgumentException("'health' is answered by the service host itself");
      }
      actions.put(action, Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** @param change applied to the Nexus default pipeline, e.g. {@code p -> p.disable(Pipeline.METRICS)} */
    public Builder pipeline(UnaryOperator<Pipeline> change) {
      this.pipeline = Objects.requireNonNull(change, "change");
      return this;
    }

    /** @param ms the longest an action may run; 0 (the default) takes the Nexus's {@code handlerTimeoutMs} */
    public Builder handlerTimeoutMs(long ms) {
      if (ms < 0) {
        throw new IllegalArgumentException("handlerTimeoutMs of service '" + name + "' must not be negative");
      }
      this.handlerTimeoutMs = ms;
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(this);
    }
  }
}
