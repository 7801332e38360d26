package io.inos.graceful.hooks;

import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeHook;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each outcome: successes at debug, client errors at info, server errors (with their cause) at warn.
 */
public final class LogHook implements OutcomeHook {

  private static final Logger LOG = LoggerFactory.getLogger("io.inos.outcome");

  @Override
  public Future<Void> apply(OutcomeContext ctx) {
    Outcome outcome = ctx.outcome();
    if (outcome.isSuccess()) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}:{} succeeded (correlation {})", ctx.service(), ctx.action(), ctx.correlationId());
      }
    } else if (outcome.code().httpStatus() >= 500) {
      LOG.warn("{}:{} failed {}: {} (correlation {})", ctx.service(), ctx.action(), outcome.code(),
        outcome.message(), ctx.correlationId(), outcome.cause());
    } else {
      LOG.info("{}:{} refused {}: {} (correlation {})", ctx.service(), ctx.action(), outcome.code(),
        outcome.message(), ctx.correlationId());
    }
    return Future.succeededFuture();
  }
}
