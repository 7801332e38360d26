package io.inos.graceful;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The orchestration pipeline of {@code graceful}: ordered, named, replaceable hooks, run for every outcome.
 *
 * <p>Success and failure each have their own order, as in the original INOS: on success metadata is normalised
 * before anything else; on failure the {@code :failed} event goes out right after the metadata is normalised, before
 * the slower steps. A pipeline is immutable: {@link #replace}, {@link #disable} and {@link #add} return a new one, so
 * each service can take the default pipeline and change it without touching anyone else's.
 */
public final class Pipeline {

  /** Names of the standard hooks. */
  public static final String METADATA = "metadata";
  public static final String LOG = "log";
  public static final String METRICS = "metrics";
  public static final String LEDGER = "ledger";
  public static final String EMIT = "emit";

  private static final Logger LOG_ = LoggerFactory.getLogger(Pipeline.class);

  /** How long one asynchronous hook may take before the pipeline goes on without it. */
  public static final long DEFAULT_HOOK_TIMEOUT_MS = 5_000;

  private final List<Step> success;
  private final List<Step> failure;
  private final long hookTimeoutMs;

  private Pipeline(List<Step> success, List<Step> failure) {
    this(success, failure, DEFAULT_HOOK_TIMEOUT_MS);
  }

  private Pipeline(List<Step> success, List<Step> failure, long hookTimeoutMs) {
    this.success = Collections.unmodifiableList(success);
    this.failure = Collections.unmodifiableList(failure);
    this.hookTimeoutMs = hookTimeoutMs;
  }

  /** A pipeline with no hooks. */
  public static Pipeline empty() {
    return new Pipeline(new ArrayList<>(), new ArrayList<>());
  }

  /**
   * @param ms how long one hook may take (default {@value #DEFAULT_HOOK_TIMEOUT_MS}); a hook still running then is
   *           logged as failed and the next one starts, so a stuck hook cannot keep the outcome from its caller
   * @return a pipeline with the same hooks and this bound
   */
  public Pipeline withHookTimeout(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("hook timeout must be positive, was " + ms);
    }
    return new Pipeline(new ArrayList<>(success), new ArrayList<>(failure), ms);
  }

  /** @return how long one hook may take */
  public long hookTimeoutMs() {
    return hookTimeoutMs;
  }

  /**
   * The standard pipeline. Success: metadata → emit → log → metrics → ledger. Failure: metadata → emit → log →
   * metrics → ledger. (The original emitted {@code :failed} before normalising; normalising first lets the failed
   * event carry its {@code error_count}.) The {@code emit} and {@code ledger} hooks are supplied by whoever owns
   * the transport and the store.
   */
  public static Pipeline standard(OutcomeHook metadata, OutcomeHook emit, OutcomeHook log, OutcomeHook metrics,
                                  OutcomeHook ledger) {
    List<Step> steps = List.of(new Step(METADATA, metadata), new Step(EMIT, emit), new Step(LOG, log),
      new Step(METRICS, metrics), new Step(LEDGER, ledger));
    return new Pipeline(new ArrayList<>(steps), new ArrayList<>(steps));
  }

  /** @return a pipeline with {@code hook} appended to both paths under {@code name} (replacing one of that name) */
  public Pipeline add(String name, OutcomeHook hook) {
    return addSuccess(name, hook).addFailure(name, hook);
  }

  /** @return a pipeline with {@code hook} appended to the success path */
  public Pipeline addSuccess(String name, OutcomeHook hook) {
    return new Pipeline(appended(success, name, hook), new ArrayList<>(failure), hookTimeoutMs);
  }

  /** @return a pipeline with {@code hook} appended to the failure path */
  public Pipeline addFailure(String name, OutcomeHook hook) {
    return new Pipeline(new ArrayList<>(success), appended(failure, name, hook), hookTimeoutMs);
  }

  /**
   * @return a pipeline with {@code hook} run just before the hook named {@code existing}, on each path that has it
   * (a hook already named {@code name} is removed first)
   * @throws IllegalArgumentException when there is no hook named {@code existing}
   */
  public Pipeline addBefore(String existing, String name, OutcomeHook hook) {
    return inserted(existing, name, hook, 0);
  }

  /**
   * @return a pipeline with {@code hook} run just after the hook named {@code existing}, on each path that has it
   * (a hook already named {@code name} is removed first)
   * @throws IllegalArgumentException when there is no hook named {@code existing}
   */
  public Pipeline addAfter(String existing, String name, OutcomeHook hook) {
    return inserted(existing, name, hook, 1);
  }

  private Pipeline inserted(String existing, String name, OutcomeHook hook, int offset) {
    Objects.requireNonNull(hook, "hook");
    if (existing.equals(name) || !names().contains(existing)) {
      throw new IllegalArgumentException("no other hook named '" + existing + "' in " + names());
    }
    return new Pipeline(inserted(success, existing, name, hook, offset),
      inserted(failure, existing, name, hook, offset), hookTimeoutMs);
  }

  private static List<Step> inserted(List<Step> steps, String existing, String name, OutcomeHook hook, int offset) {
    List<Step> copy = new ArrayList<>(steps);
    copy.removeIf(s -> s.name.equals(name));
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).name.equals(existing)) {
        copy.add(i + offset, new Step(name, hook));
        break;
      }
    }
    return copy;
  }

  /**
   * @return a pipeline where the hook named {@code name} is {@code hook} on both paths, in the same place
   * @throws IllegalArgumentException when there is no hook of that name
   */
  public Pipeline replace(String name, OutcomeHook hook) {
    Objects.requireNonNull(hook, "hook");
    if (!names().contains(name)) {
      throw new IllegalArgumentException("no hook named '" + name + "' in " + names());
    }
    return new Pipeline(replaced(success, name, hook), replaced(failure, name, hook), hookTimeoutMs);
  }

  /** @return a pipeline without the hook named {@code name} (switched off on both paths) */
  public Pipeline disable(String name) {
    List<Step> s = new ArrayList<>(success);
    List<Step> f = new ArrayList<>(failure);
    s.removeIf(step -> step.name.equals(name));
    f.removeIf(step -> step.name.equals(name));
    return new Pipeline(s, f, hookTimeoutMs);
  }

  /** @return the names of the hooks, success path first, each once */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (Step s : success) {
      names.add(s.name);
    }
    for (Step s : failure) {
      if (!names.contains(s.name)) {
        names.add(s.name);
      }
    }
    return names;
  }

  /** @return the names of the hooks that run for {@code outcome}, in order */
  public List<String> order(Outcome outcome) {
    List<String> names = new ArrayList<>();
    for (Step s : outcome.isSuccess() ? success : failure) {
      names.add(s.name);
    }
    return names;
  }

  /**
   * Runs the hooks for the context's outcome, one after the other, each starting when the one before has completed.
   * A hook that throws, fails or outlives {@link #hookTimeoutMs()} is logged and recorded in
   * {@link OutcomeContext#hookFailures()}; the rest still run. The returned future always succeeds, with the
   * context.
   */
  public Future<OutcomeContext> run(OutcomeContext context) {
    List<Step> steps = context.outcome().isSuccess() ? success : failure;
    return runFrom(steps, 0, context);
  }

  private Future<OutcomeContext> runFrom(List<Step> steps, int index, OutcomeContext context) {
    // Hooks usually complete at once; loop while they do so a long pipeline never deepens the stack.
    for (int i = index; i < steps.size(); i++) {
      Step step = steps.get(i);
      Future<Void> f;
      try {
        f = step.hook.apply(context);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        f = Future.failedFuture(t);
      }
      if (f == null) {
        continue;
      }
      if (f.isComplete()) {
        if (f.failed()) {
          hookFailed(step, context, f.cause());
        }
        continue;
      }
      int next = i + 1;
      return f.timeout(hookTimeoutMs, TimeUnit.MILLISECONDS).transform(ar -> {
        if (ar.failed()) {
          hookFailed(step, context, ar.cause());
        }
        return runFrom(steps, next, context);
      });
    }
    return Future.succeededFuture(context);
  }

  private static void hookFailed(Step step, OutcomeContext context, Throwable cause) {
    context.hookFailed(step.name, cause);
    LOG_.warn("graceful hook '{}' failed for {}:{} (correlation {}): {}", step.name, context.service(),
      context.action(), context.correlationId(), String.valueOf(cause));
  }

  private static List<Step> appended(List<Step> steps, String name, OutcomeHook hook) {
    List<Step> copy = new ArrayList<>(steps);
    copy.removeIf(s -> s.name.equals(name));
    copy.add(new Step(name, Objects.requireNonNull(hook, "hook")));
    return copy;
  }

  private static List<Step> replaced(List<Step> steps, String name, OutcomeHook hook) {
    List<Step> copy = new ArrayList<>(steps.size());
    for (Step s : steps) {
      copy.add(s.name.equals(name) ? new Step(name, hook) : s);
    }
    return copy;
  }

  private record Step(String name, OutcomeHook hook) {
  }
}
