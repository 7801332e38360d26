package io.inos.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.inos.proto.campaign.v1.Campaign;
import io.inos.proto.campaign.v1.CampaignServiceGrpcClient;
import io.inos.proto.campaign.v1.CampaignServiceGrpcService;
import io.inos.proto.campaign.v1.CampaignServiceService;
import io.inos.proto.campaign.v1.CreateCampaignRequest;
import io.inos.proto.campaign.v1.CreateCampaignResponse;
import io.inos.proto.common.v1.GlobalContext;
import io.inos.proto.common.v1.Metadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the codegen: a unary CampaignService call over real HTTP/2 (h2c) using only the generated
 * Vert.x stubs. The echo impl also pushes the campaign through JsonFormat (snake_case keys), the way
 * the gRPC -> event-bus adapter translates requests into event payloads.
 */
@ExtendWith(VertxExtension.class)
class CampaignServiceRoundTripTest {

  /** Echo implementation: extend the generated base class {@code CampaignServiceService}. */
  static final class EchoCampaignService extends CampaignServiceService {
    @Override
    public Future<CreateCampaignResponse> createCampaign(CreateCampaignRequest request) {
      try {
        String json = JsonFormat.printer().preservingProtoFieldNames().print(request.getCampaign());
        if (!json.contains("\"master_id\"")) {
          return Future.failedFuture("JSON keys are not snake_case: " + json);
        }
        Campaign.Builder echoed = Campaign.newBuilder();
        JsonFormat.parser().merge(json, echoed);
        return Future.succeededFuture(CreateCampaignResponse.newBuilder()
            .setCampaign(echoed.setId(42))
            .setCorrelationId(request.getMetadata().getGlobalContext().getCorrelationId())
            .build());
      } catch (InvalidProtocolBufferException e) {
        return Future.failedFuture(e);
      }
    }
  }

  @Test
  void createCampaignRoundTrip(Vertx vertx, VertxTestContext ctx) throws Throwable {
    GrpcServer grpcServer = GrpcServer.server(vertx)
        .addService(CampaignServiceGrpcService.of(new EchoCampaignService()));

    CreateCampaignRequest request = CreateCampaignRequest.newBuilder()
        .setCampaign(Campaign.newBuilder()
            .setSlug("ovasabi_website")
            .setTitle("OVASABI")
            .addFeatures("waitlist")
            .addFeatures("referral")
            .setConfig(Struct.newBuilder().putFields("theme", Value.newBuilder().setStringValue("dark").build()))
            .setMasterId(7))
        .setMetadata(Metadata.newBuilder()
            .setGlobalContext(GlobalContext.newBuilder().setCorrelationId("corr-123").setUserId("u-1")))
        .build();

    vertx.createHttpServer()
        .requestHandler(grpcServer)
        .listen(0, "127.0.0.1")
        .compose((HttpServer server) -> {
          CampaignServiceGrpcClient client = CampaignServiceGrpcClient.create(
              GrpcClient.client(vertx), SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"));
          return client.createCampaign(request);
        })
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals("corr-123", response.getCorrelationId());
          Campaign campaign = response.getCampaign();
          assertEquals(42, campaign.getId());
          assertEquals("ovasabi_website", campaign.getSlug());
          assertEquals("OVASABI", campaign.getTitle());
          assertEquals(java.util.List.of("waitlist", "referral"), campaign.getFeaturesList());
          assertEquals("dark", campaign.getConfig().getFieldsOrThrow("theme").getStringValue());
          assertEquals(7, campaign.getMasterId());
          ctx.completeNow();
        })));

    assertTrue(ctx.awaitCompletion(20, TimeUnit.SECONDS), "gRPC round trip timed out");
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
  }
}
