package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asks the campaign service through the Nexus, as any client would. */
final class CampaignCalls {

  private final Nexus nexus;

  CampaignCalls(Nexus nexus) {
    this.nexus = nexus;
  }

  static Event requested(String action, JsonObject data) {
    return Event.builder(EventType.of(CampaignService.NAME, action, 1, EventState.REQUESTED))
      .source("test")
      .data(data)
      .build();
  }

  /** @return the result data of a successful action */
  Future<JsonObject> call(String action, JsonObject data) {
    return nexus.request(requested(action, data)).map(Event::data);
  }

  /** @return the campaign a successful action answers with */
  Future<JsonObject> campaign(String action, JsonObject data) {
    return call(action, data).map(result -> result.getJsonObject("campaign"));
  }

  /**
   * @return a future completed with the failure of an action that must fail with {@code code} and a message
   *     containing {@code mention}; failed if the action succeeds or fails otherwise
   */
  Future<OutcomeException> failure(String action, JsonObject data, Code code, String mention) {
    return nexus.request(requested(action, data)).transform(ar -> {
      if (ar.succeeded()) {
        throw new AssertionError(action + " " + data.encode() + " succeeded, expected " + code + ": "
          + ar.result().data().encode());
      }
      OutcomeException e = (OutcomeException) ar.cause();
      assertEquals(code, e.code(), () -> action + " " + data.encode() + " failed with " + e.getMessage());
      assertTrue(e.outcome().message().contains(mention),
        () -> "the message '" + e.outcome().message() + "' does not mention " + mention);
      return Future.succeededFuture(e);
    });
  }
}
