package io.inos.graceful;

import io.vertx.core.Future;

/**
 * One step of the orchestration {@link Pipeline}: logging, metrics, metadata normalisation, the ledger record,
 * event emission, or anything a service adds. A hook that throws, fails or takes longer than the pipeline's
 * hook timeout is logged and recorded in {@link OutcomeContext#hookFailures()}, and the following hooks still run:
 * no step may keep the outcome from reaching the caller.
 */
@FunctionalInterface
public interface OutcomeHook {

  /**
   * @param context the operation and its outcome
   * @return completes when the step is done; a hook that only starts background work may complete at once
   */
  Future<Void> apply(OutcomeContext context);
}
