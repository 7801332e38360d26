package io.inos.campaign;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.proto.campaign.v1.Campaign;
import io.inos.proto.campaign.v1.CampaignServiceGrpcClient;
import io.inos.proto.campaign.v1.CreateCampaignRequest;
import io.inos.proto.campaign.v1.DeleteCampaignRequest;
import io.inos.proto.campaign.v1.GetCampaignRequest;
import io.inos.proto.campaign.v1.ListCampaignsRequest;
import io.inos.proto.campaign.v1.SwitchCampaignRequest;
import io.inos.proto.campaign.v1.UpdateCampaignRequest;
import io.inos.proto.campaign.v1.UpdateCampaignStateRequest;
import io.inos.proto.common.v1.GlobalContext;
import io.inos.proto.common.v1.Metadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign service over real gRPC: a Vert.x HTTP server with a {@link GrpcServer} on a free port, the generated
 * client, and the requests crossing the Nexus to the {@link CampaignVerticle} and its database.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CampaignGrpcServiceTest {

  private static CampaignDatabase db;
  private static Pool servicePool;
  private static HttpServer server;
  private static GrpcClient grpcClient;
  private static CampaignServiceGrpcClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    Nexus nexus = Nexus.create(vertx);
    GrpcServer grpc = GrpcServer.server(vertx).addService(new CampaignGrpcService(nexus).grpcService());
    CampaignDatabase.create(vertx)
      .compose(created -> {
        db = created;
        servicePool = db.servicePool(5432);
        return vertx.deployVerticle(new CampaignVerticle(nexus, () -> servicePool));
      })
      .compose(id -> vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"))
      .onComplete(ctx.succeeding(s -> {
        server = s;
        grpcClient = GrpcClient.client(vertx);
        client = CampaignServiceGrpcClient.create(grpcClient, SocketAddress.inetSocketAddress(s.actualPort(),
          "127.0.0.1"));
        ctx.completeNow();
      }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    Future.join(grpcClient == null ? Future.succeededFuture() : grpcClient.close(),
        server == null ? Future.succeededFuture() : server.close(),
        servicePool == null ? Future.succeededFuture() : servicePool.close())
      .eventually(() -> db == null ? Future.succeededFuture() : db.drop())
      .onComplete(ctx.succeedingThenComplete());
  }

  private static String slug() {
    return "grpc-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Metadata correlated(String correlationId) {
    return Metadata.newBuilder()
      .setGlobalContext(GlobalContext.newBuilder().setCorrelationId(correlationId).setUserId("grpc-user"))
      .build();
  }

  private static Future<Campaign> create(String slug) {
    return client.createCampaign(CreateCampaignRequest.newBuilder()
        .setCampaign(Campaign.newBuilder().setSlug(slug).setTitle("gRPC " + slug)
          .addFeatures("referral")
          .setConfig(Struct.newBuilder().putFields("theme", Value.newBuilder().setStringValue("dark").build())))
        .build())
      .map(r -> r.getCampaign());
  }

  /** @return the gRPC status a call failed with */
  private static GrpcStatus statusOf(Throwable failure) {
    assertTrue(failure instanceof InvalidStatusException, "failed with a status, not " + failure);
    return ((InvalidStatusException) failure).actualStatus();
  }

  @Test
  void createStoresTheCampaignAndAnswersWithTheCorrelationId(VertxTestContext ctx) {
    String slug = slug();
    String correlation = UUID.randomUUID().toString();
    client.createCampaign(CreateCampaignRequest.newBuilder()
        .setCampaign(Campaign.newBuilder().setSlug(slug).setTitle("Over gRPC").setDescription("d")
          .addFeatures("referral").addFeatures("search")
          .setConfig(Struct.newBuilder().putFields("theme", Value.newBuilder().setStringValue("dark").build())))
        .setMetadata(correlated(correlation))
        .build())
      .compose(response -> {
        Campaign c = response.getCampaign();
        assertEquals(correlation, response.getCorrelationId());
        assertTrue(c.getId() > 0);
        assertEquals(slug, c.getSlug());
        assertEquals("Over gRPC", c.getTitle());
        assertEquals("draft", c.getState());
        assertEquals(List.of("referral", "search"), c.getFeaturesList());
        assertEquals("dark", c.getConfig().getFieldsOrThrow("theme").getStringValue());
        assertFalse(c.getUuid().isEmpty());
        assertTrue(c.getCreatedAt().getSeconds() > 0);
        assertTrue(c.getMasterId() > 0);
        Pool checker = db.directPool();
        return checker.preparedQuery("SELECT c.title, c.owner_id, m.uuid, m.type FROM campaign c "
            + "JOIN master m ON m.id = c.master_id WHERE c.id = $1").execute(Tuple.of(c.getId()))
          .map(rows -> {
            assertEquals(1, rows.size());
            assertEquals("Over gRPC", rows.iterator().next().getString("title"));
            assertEquals("grpc-user", rows.iterator().next().getString("owner_id"), "from the request's context");
            assertEquals(c.getUuid(), rows.iterator().next().getUUID("uuid").toString());
            assertEquals("campaign", rows.iterator().next().getString("type"));
            return rows;
          })
          .eventually(checker::close);
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void getByIdSlugOrTheDefault(VertxTestContext ctx) {
    String slug = slug();
    create(slug)
      .compose(created -> client.getCampaign(GetCampaignRequest.newBuilder().setId(created.getId()).build())
        .compose(byId -> client.getCampaign(GetCampaignRequest.newBuilder().setSlug(slug).build())
          .compose(bySlug -> client.getCampaign(GetCampaignRequest.getDefaultInstance())
            .map(byDefault -> {
              assertEquals(created, byId.getCampaign());
              assertEquals(created, bySlug.getCampaign());
              assertEquals(0L, byDefault.getCampaign().getId(), "an unset id is 0, the default campaign");
              assertEquals(Campaign.newBuilder().getId(), byDefault.getCampaign().getId());
              assertEquals(io.inos.campaign.Campaign.DEFAULT_SLUG, byDefault.getCampaign().getSlug());
              return byDefault;
            }))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void listPages(VertxTestContext ctx) {
    Future.all(create(slug()), create(slug()))
      .compose(v -> client.listCampaigns(ListCampaignsRequest.newBuilder().setPage(1).setPageSize(2).build()))
      .map(page -> {
        assertEquals(2, page.getCampaignsCount());
        assertEquals(0L, page.getCampaigns(0).getId());
        assertTrue(page.getTotalCount() >= 3);
        assertEquals((page.getTotalCount() + 1) / 2, page.getTotalPages());
        assertEquals(1, page.getPage());
        assertFalse(page.getCorrelationId().isEmpty());
        return page;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void updateStateAndSwitchOverGrpc(VertxTestContext ctx) {
    String slug = slug();
    create(slug)
      .compose(c -> client.updateCampaign(UpdateCampaignRequest.newBuilder().setSlug(slug).setTitle("Renamed").build())
        .compose(u -> {
          assertEquals("Renamed", u.getCampaign().getTitle());
          assertEquals(List.of("referral"), u.getCampaign().getFeaturesList(), "empty repeated = unchanged");
          return client.updateCampaignState(UpdateCampaignStateRequest.newBuilder().setCampaignId(c.getId())
            .setState("active").build());
        })
        .compose(s -> {
          assertEquals("active", s.getState());
          return client.switchCampaign(SwitchCampaignRequest.newBuilder().setUserId("u-1").setOldCampaignId("0")
            .setNewCampaignId(Long.toString(c.getId())).build());
        })
        .map(sw -> {
          assertEquals(c.getId(), sw.getCampaign().getId());
          return sw;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void notFoundIsGrpcNotFound(VertxTestContext ctx) {
    client.getCampaign(GetCampaignRequest.newBuilder().setId(987654321L).build())
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertEquals(GrpcStatus.NOT_FOUND, statusOf(e));
        ctx.completeNow();
      })));
  }

  @Test
  void invalidArgumentsAreGrpcInvalidArgumentWithTheFieldInTheMessage(VertxTestContext ctx) {
    Future<?> noSlug = client.createCampaign(CreateCampaignRequest.newBuilder()
        .setCampaign(Campaign.newBuilder().setTitle("no slug")).build())
      .transform(ar -> {
        assertTrue(ar.failed(), "a campaign without slug is refused");
        assertEquals(GrpcStatus.INVALID_ARGUMENT, statusOf(ar.cause()));
        return Future.succeededFuture();
      });
    Future<?> badPage = client.listCampaigns(ListCampaignsRequest.newBuilder().setPageSize(1000).build())
      .transform(ar -> {
        assertTrue(ar.failed(), "a page of 1000 is refused");
        assertEquals(GrpcStatus.INVALID_ARGUMENT, statusOf(ar.cause()));
        return Future.succeededFuture();
      });
    // the status message reaches the client: read it from the raw call
    Future<?> message = grpcClient.request(SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"),
        CampaignServiceGrpcClient.CreateCampaign)
      .compose(request -> request.end(CreateCampaignRequest.newBuilder()
          .setCampaign(Campaign.newBuilder().setSlug(slug())).build())
        .compose(v -> request.response()))
      .compose(response -> response.end().otherwiseEmpty().map(v -> {
        assertEquals(GrpcStatus.INVALID_ARGUMENT, response.status());
        assertEquals("field 'campaign.title' is required", response.statusMessage());
        return v;
      }));
    Future<?> defaultCampaign = client.deleteCampaign(DeleteCampaignRequest.getDefaultInstance())
      .transform(ar -> {
        assertTrue(ar.failed(), "the default campaign cannot be deleted");
        assertEquals(GrpcStatus.FAILED_PRECONDITION, statusOf(ar.cause()));
        return Future.succeededFuture();
      });
    Future.all(noSlug, badPage, message, defaultCampaign).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theLifecycleEventsCarryTheCallersCorrelationId(Vertx vertx, VertxTestContext ctx) {
    String correlation = UUID.randomUUID().toString();
    Checkpoint started = ctx.checkpoint();
    Checkpoint success = ctx.checkpoint();
    Checkpoint answered = ctx.checkpoint();
    MessageConsumer<Event> onStarted = vertx.eventBus().consumer("campaign:create_campaign:v1:started", msg -> {
      if (correlation.equals(msg.body().correlationId())) {
        ctx.verify(() -> assertEquals("grpc-user", msg.body().userId()));
        started.flag();
      }
    });
    MessageConsumer<Event> onSuccess = vertx.eventBus().consumer("campaign:create_campaign:v1:success", msg -> {
      if (correlation.equals(msg.body().correlationId())) {
        success.flag();
      }
    });
    Future.all(onStarted.completion(), onSuccess.completion())
      .compose(v -> client.createCampaign(CreateCampaignRequest.newBuilder()
        .setCampaign(Campaign.newBuilder().setSlug(slug()).setTitle("Lifecycle"))
        .setMetadata(correlated(correlation))
        .build()))
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertEquals(correlation, r.getCorrelationId());
        answered.flag();
      })));
  }
}
