package io.inos.campaign;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.inos.adapters.grpc.GrpcStatuses;
import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.nexus.Nexus;
import io.inos.proto.campaign.v1.CampaignServiceGrpcService;
import io.inos.proto.campaign.v1.CampaignServiceService;
import io.inos.proto.campaign.v1.CreateCampaignRequest;
import io.inos.proto.campaign.v1.CreateCampaignResponse;
import io.inos.proto.campaign.v1.DeleteCampaignRequest;
import io.inos.proto.campaign.v1.DeleteCampaignResponse;
import io.inos.proto.campaign.v1.GetCampaignRequest;
import io.inos.proto.campaign.v1.GetCampaignResponse;
import io.inos.proto.campaign.v1.GetCampaignStateRequest;
import io.inos.proto.campaign.v1.GetCampaignStateResponse;
import io.inos.proto.campaign.v1.ListCampaignsRequest;
import io.inos.proto.campaign.v1.ListCampaignsResponse;
import io.inos.proto.campaign.v1.SwitchCampaignRequest;
import io.inos.proto.campaign.v1.SwitchCampaignResponse;
import io.inos.proto.campaign.v1.UpdateCampaignConfigRequest;
import io.inos.proto.campaign.v1.UpdateCampaignConfigResponse;
import io.inos.proto.campaign.v1.UpdateCampaignFeaturesRequest;
import io.inos.proto.campaign.v1.UpdateCampaignFeaturesResponse;
import io.inos.proto.campaign.v1.UpdateCampaignRequest;
import io.inos.proto.campaign.v1.UpdateCampaignResponse;
import io.inos.proto.campaign.v1.UpdateCampaignStateRequest;
import io.inos.proto.campaign.v1.UpdateCampaignStateResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.Service;

import java.util.Objects;

/**
 * The campaign service over gRPC ({@code inos.campaign.v1.CampaignService}). It holds no campaign logic: each RPC
 * becomes a {@code campaign:{rpc_snake_case}:v1:requested} event sent with {@link Nexus#request}, so it works on
 * any node, wherever the {@link CampaignVerticle} runs.
 *
 * <ul>
 *   <li>request → event: the message in protobuf JSON with proto field names is the payload data, except its
 *   {@code metadata} (the caller's), which becomes the event's metadata; the correlation id is the caller's
 *   {@code metadata.global_context.correlation_id} when given; the source is {@value #SOURCE}. Because an unset
 *   int64 cannot be told from 0, an absent {@code id} / {@code campaign_id} is sent as 0 (the default campaign,
 *   unless a slug is given).</li>
 *   <li>success → response: the {@code :success} data parsed into the response message (unknown fields ignored),
 *   with {@code correlation_id} set.</li>
 *   <li>failure → the gRPC status of the outcome's code ({@link Code#grpcStatus()}) with its message.</li>
 * </ul>
 *
 * <pre>{@code
 * GrpcServer grpc = GrpcServer.server(vertx);
 * grpc.addService(new CampaignGrpcService(nexus).grpcService());
 * }</pre>
 */
public final class CampaignGrpcService extends CampaignServiceService {

  /** The {@code source} of the events this edge sends. */
  public static final String SOURCE = "grpc";

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
    .omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final Nexus nexus;
  private final long timeoutMs;

  /**
   * @param nexus     the Nexus the requests go through
   * @param timeoutMs how long an RPC waits for its outcome before failing with DEADLINE_EXCEEDED
   */
  public CampaignGrpcService(Nexus nexus, long timeoutMs) {
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be positive, not " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
  }

  /** @param nexus the Nexus the requests go through, with its default request timeout */
  public CampaignGrpcService(Nexus nexus) {
    this(nexus, nexus.options().getRequestTimeoutMs());
  }

  /** @return this service, bound for {@code GrpcServer.addService} */
  public Service grpcService() {
    return CampaignServiceGrpcService.of(this);
  }

  @Override
  public Future<CreateCampaignResponse> createCampaign(CreateCampaignRequest request) {
    return call("create_campaign", request, CreateCampaignResponse.newBuilder());
  }

  @Override
  public Future<GetCampaignResponse> getCampaign(GetCampaignRequest request) {
    return call("get_campaign", request, GetCampaignResponse.newBuilder());
  }

  @Override
  public Future<UpdateCampaignResponse> updateCampaign(UpdateCampaignRequest request) {
    return call("update_campaign", request, UpdateCampaignResponse.newBuilder());
  }

  @Override
  public Future<DeleteCampaignResponse> deleteCampaign(DeleteCampaignRequest request) {
    return call("delete_campaign", request, DeleteCampaignResponse.newBuilder());
  }

  @Override
  public Future<ListCampaignsResponse> listCampaigns(ListCampaignsRequest request) {
    return call("list_campaigns", request, ListCampaignsResponse.newBuilder());
  }

  @Override
  public Future<GetCampaignStateResponse> getCampaignState(GetCampaignStateRequest request) {
    return call("get_campaign_state", request, GetCampaignStateResponse.newBuilder());
  }

  @Override
  public Future<UpdateCampaignStateResponse> updateCampaignState(UpdateCampaignStateRequest request) {
    return call("update_campaign_state", request, UpdateCampaignStateResponse.newBuilder());
  }

  @Override
  public Future<SwitchCampaignResponse> switchCampaign(SwitchCampaignRequest request) {
    return call("switch_campaign", request, SwitchCampaignResponse.newBuilder());
  }

  @Override
  public Future<UpdateCampaignFeaturesResponse> updateCampaignFeatures(UpdateCampaignFeaturesRequest request) {
    return call("update_campaign_features", request, UpdateCampaignFeaturesResponse.newBuilder());
  }

  @Override
  public Future<UpdateCampaignConfigResponse> updateCampaignConfig(UpdateCampaignConfigRequest request) {
    return call("update_campaign_config", request, UpdateCampaignConfigResponse.newBuilder());
  }

  private <R extends Message> Future<R> call(String action, Message request, Message.Builder response) {
    Event requested;
    try {
      requested = toEvent(action, request);
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcStatuses.toException(e));
    }
    return nexus.request(requested, timeoutMs)
      .map(success -> this.<R>toResponse(success, response))
      .recover(failure -> Future.failedFuture(GrpcStatuses.toException(failure)));
  }

  private static Event toEvent(String action, Message request) {
    JsonObject data = new JsonObject(print(request));
    Object metadata = data.remove("metadata");
    for (String idField : new String[] {"id", "campaign_id"}) {
      FieldDescriptor fd = request.getDescriptorForType().findFieldByName(idField);
      if (fd != null && fd.getType() == FieldDescriptor.Type.INT64 && !data.containsKey(idField)) {
        data.put(idField, 0L);
      }
    }
    return Event.builder(EventType.of(CampaignService.NAME, action, 1, EventState.REQUESTED))
      .source(SOURCE)
      .metadata(metadata instanceof JsonObject md ? md : null)
      .data(data)
      .build();
  }

  @SuppressWarnings("unchecked")
  private <R extends Message> R toResponse(Event success, Message.Builder response) {
    try {
      PARSER.merge(success.data().encode(), response);
    } catch (InvalidProtocolBufferException e) {
      throw new OutcomeException(Outcome.failure(Code.INTERNAL, "the campaign service answered a result that "
        + response.getDescriptorForType().getName() + " cannot hold: " + e.getMessage()).withCause(e));
    }
    FieldDescriptor correlation = response.getDescriptorForType().findFieldByName("correlation_id");
    if (correlation != null) {
      response.setField(correlation, success.correlationId());
    }
    return (R) response.build();
  }

  private static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // only messages holding google.protobuf.Any with unknown types fail to print; ours hold none
      throw new OutcomeException(Outcome.failure(Code.INVALID_ARGUMENT, "the request cannot be read as JSON: "
        + e.getMessage()).withCause(e));
    }
  }
}
