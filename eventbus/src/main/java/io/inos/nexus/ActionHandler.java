package io.inos.nexus;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The code of one action of a service. It returns the result data (the {@code payload.data} of the
 * {@code :success} event) or fails, best with an {@link io.inos.graceful.OutcomeException} carrying a precise code.
 * It may also throw, never answer, or answer late: the service host turns each into a {@code :failed} event.
 */
@FunctionalInterface
public interface ActionHandler {

  Future<JsonObject> handle(ActionRequest request);
}
