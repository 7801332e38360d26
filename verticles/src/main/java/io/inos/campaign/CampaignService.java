package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.ActionHandler;
import io.inos.nexus.ActionRequest;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * The campaign service: its actions as a {@link ServiceDefinition} the Nexus serves
 * ({@code campaign:{action}:v1:requested}). The service host runs the lifecycle; each action here validates its
 * payload, calls the {@link CampaignRepository} and shapes the result. The actions, their fields and their errors
 * are described in the {@linkplain io.inos.campaign package description}.
 */
public final class CampaignService {

  /** The service name: the first part of its event types. */
  public static final String NAME = "campaign";
  /** The control event that tells a user's clients to move to another campaign. */
  public static final String SWITCH_REQUIRED = "campaign:switch:required";

  private final Nexus nexus;
  private final CampaignRepository repository;

  /**
   * @param nexus      where {@code switch_campaign} publishes {@value #SWITCH_REQUIRED}
   * @param repository the campaigns
   */
  public CampaignService(Nexus nexus, CampaignRepository repository) {
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  /** @return the service with every action, handler time bounded by the Nexus default */
  public ServiceDefinition definition() {
    return definition(0);
  }

  /**
   * @param handlerTimeoutMs the longest an action may run; 0 = the Nexus default
   * @return the service with every action
   */
  public ServiceDefinition definition(long handlerTimeoutMs) {
    return ServiceDefinition.builder(NAME)
      .action("create_campaign", guarded(this::createCampaign))
      .action("get_campaign", guarded(this::getCampaign))
      .action("update_campaign", guarded(this::updateCampaign))
      .action("delete_campaign", guarded(this::deleteCampaign))
      .action("list_campaigns", guarded(this::listCampaigns))
      .action("get_campaign_state", guarded(this::getCampaignState))
      .action("update_campaign_state", guarded(this::updateCampaignState))
      .action("switch_campaign", guarded(this::switchCampaign))
      .action("update_campaign_features", guarded(this::updateCampaignFeatures))
      .action("update_campaign_config", guarded(this::updateCampaignConfig))
      .handlerTimeoutMs(handlerTimeoutMs)
      .build();
  }

  Future<JsonObject> createCampaign(ActionRequest request) {
    CampaignDraft draft = CampaignRequests.draft(request.data(), request.userId());
    return repository.create(draft).map(CampaignService::withCampaign);
  }

  Future<JsonObject> getCampaign(ActionRequest request) {
    return repository.find(CampaignRequests.ref(request.data(), "id")).map(CampaignService::withCampaign);
  }

  Future<JsonObject> updateCampaign(ActionRequest request) {
    JsonObject data = request.data();
    CampaignRef ref = CampaignRequests.ref(data, "id");
    return repository.update(ref, CampaignRequests.changes(data)).map(u -> withCampaign(u.current()));
  }

  Future<JsonObject> deleteCampaign(ActionRequest request) {
    return repository.delete(CampaignRequests.ref(request.data(), "id"))
      .map(deleted -> new JsonObject().put("success", true).put("id", deleted.id()).put("slug", deleted.slug()));
  }

  Future<JsonObject> listCampaigns(ActionRequest request) {
    CampaignRequests.Paging paging = CampaignRequests.paging(request.data());
    return repository.list(paging.page(), paging.pageSize()).map(page -> {
      JsonArray campaigns = new JsonArray();
      page.campaigns().forEach(c -> campaigns.add(c.toJson()));
      long totalPages = (page.totalCount() + paging.pageSize() - 1) / paging.pageSize();
      return new JsonObject()
        .put("campaigns", campaigns)
        .put("total_count", page.totalCount())
        .put("page", paging.page())
        .put("page_size", paging.pageSize())
        .put("total_pages", totalPages);
    });
  }

  Future<JsonObject> getCampaignState(ActionRequest request) {
    return repository.find(CampaignRequests.ref(request.data(), "campaign_id"))
      .map(c -> withCampaign(c).put("state", c.state()));
  }

  Future<JsonObject> updateCampaignState(ActionRequest request) {
    JsonObject data = request.data();
    CampaignRef ref = CampaignRequests.ref(data, "campaign_id");
    RequestFields f = RequestFields.of(data);
    CampaignState state = CampaignRequests.state(f, "state");
    if (state == null) {
      throw f.missing("state");
    }
    CampaignChanges changes = new CampaignChanges(null, null, null, state, null, null, null);
    return repository.update(ref, changes).map(u -> withCampaign(u.current())
      .put("state", u.current().state())
      .put("previous_state", u.previous().state()));
  }

  /**
   * Checks that the new campaign exists and is not archived, then publishes {@value #SWITCH_REQUIRED} to the user
   * ({@code user:{id}}), as the original gateway did when a user connected under another campaign.
   */
  Future<JsonObject> switchCampaign(ActionRequest request) {
    RequestFields f = RequestFields.of(request.data());
    String userId = f.string("user_id", CampaignRequests.MAX_USER_ID);
    if (userId == null || userId.isEmpty()) {
      userId = request.userId();
    }
    if (userId == null || userId.isEmpty()) {
      throw f.missing("user_id");
    }
    String oldCampaignId = f.stringOrInteger("old_campaign_id");
    CampaignRef target = CampaignRequests.refOf(f, "new_campaign_id");
    String reason = f.string("reason", CampaignRequests.MAX_REASON);
    String user = userId;
    return repository.find(target).compose(campaign -> {
      if (CampaignState.ARCHIVED.wire().equals(campaign.state())) {
        return Future.failedFuture(OutcomeException.of(Code.FAILED_PRECONDITION,
          "campaign " + campaign.id() + " is archived: no one can switch to it"));
      }
      JsonObject result = withCampaign(campaign)
        .put("user_id", user)
        .put("old_campaign_id", oldCampaignId == null ? "" : oldCampaignId)
        .put("new_campaign_id", Long.toString(campaign.id()));
      nexus.publish(switchRequired(request, user, result.copy().put("reason",
        reason == null ? "switch_campaign requested" : reason)));
      return Future.succeededFuture(result);
    });
  }

  Future<JsonObject> updateCampaignFeatures(ActionRequest request) {
    JsonObject data = request.data();
    CampaignRef ref = CampaignRequests.ref(data, "campaign_id");
    RequestFields f = RequestFields.of(data);
    List<String> features = f.strings("features", CampaignRequests.MAX_FEATURES, CampaignRequests.MAX_FEATURE);
    if (features == null) {
      throw f.missing("features");
    }
    CampaignChanges changes = new CampaignChanges(null, null, null, null, new JsonArray(features), null, null);
    return repository.update(ref, changes).map(u -> withCampaign(u.current()));
  }

  /** Replaces the configuration, or with {@code "merge": true} merges it in at the top level. */
  Future<JsonObject> updateCampaignConfig(ActionRequest request) {
    JsonObject data = request.data();
    CampaignRef ref = CampaignRequests.ref(data, "campaign_id");
    RequestFields f = RequestFields.of(data);
    JsonObject config = f.object("config");
    if (config == null) {
      throw f.missing("config");
    }
    boolean merge = Boolean.TRUE.equals(f.bool("merge"));
    Future<CampaignRepository.CampaignUpdate> update = merge ? repository.mergeConfig(ref, config)
      : repository.update(ref, new CampaignChanges(null, null, null, null, null, config, null));
    return update.map(u -> withCampaign(u.current()));
  }

  private Event switchRequired(ActionRequest request, String userId, JsonObject data) {
    return Event.builder(SWITCH_REQUIRED)
      .correlationId(request.correlationId())
      .causationId(request.event().id())
      .environment(nexus.options().getEnvironment())
      .source(nexus.options().getSource())
      .metadata(request.metadata())
      .globalContext("user_id", userId)
      .globalContext("campaign_id", data.getString("new_campaign_id"))
      .data(data)
      .build();
  }

  private static JsonObject withCampaign(Campaign campaign) {
    return new JsonObject().put("campaign", campaign.toJson());
  }

  /** Turns a validation error thrown while reading the payload into a failed future. */
  private static ActionHandler guarded(ActionHandler handler) {
    return request -> {
      try {
        return handler.handle(request);
      } catch (OutcomeException e) {
        return Future.failedFuture(e);
      }
    };
  }
}
