package io.inos.adapters;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.Nexus;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A small {@code campaign} service for door tests: {@code create_campaign} echoes its data with an increasing id,
 * {@code fail} fails with ALREADY_EXISTS, {@code slow} never answers.
 */
public final class TestCampaign {

  private TestCampaign() {
  }

  public static Future<Nexus.ServiceBinding> serve(Nexus nexus) {
    AtomicLong ids = new AtomicLong();
    return nexus.serve(ServiceDefinition.builder("campaign")
      .action("create_campaign", req -> Future.succeededFuture(new JsonObject()
        .put("id", ids.incrementAndGet())
        .put("echo", req.data())
        .put("user_id", req.userId())))
      .action("fail", req -> Future.failedFuture(OutcomeException.of(Code.ALREADY_EXISTS,
        "campaign '" + req.data().getString("slug") + "' already exists")))
      .action("slow", req -> Promise.<JsonObject>promise().future())
      .build());
  }
}
