package io.inos.adapters.grpc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inos.adapters.DoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.nexus.Event;
import io.inos.proto.common.v1.EventEnvelope;
import io.inos.proto.common.v1.GlobalContext;
import io.inos.proto.common.v1.Metadata;
import io.inos.proto.common.v1.Payload;
import io.inos.proto.nexus.v1.EmitEventRequest;
import io.inos.proto.nexus.v1.EmitEventResponse;
import io.inos.proto.nexus.v1.NexusServiceGrpcClient;
import io.inos.proto.nexus.v1.SubscribeEventsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gRPC over h2c on the same port as REST and SockJS: the generated Vert.x client, a raw gRPC client for what the
 * generated one cannot express, and the health service.
 */
@ExtendWith(VertxExtension.class)
class NexusGrpcTest {

  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> HEALTH_CHECK = ServiceMethod.client(
    ServiceName.create("grpc.health.v1.Health"), "Check", GrpcMessageEncoder.encoder(),
    GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  private DoorsServer server;
  private GrpcClient grpc;
  private NexusServiceGrpcClient nexus;
  private SocketAddress address;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = DoorsServer.start(vertx, new WebDoorsOptions());
    grpc = GrpcClient.client(vertx);
    address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    nexus = NexusServiceGrpcClient.create(grpc, address);
  }

  @AfterEach
  void stop() throws Exception {
    await(grpc.close());
  }

  private static EventEnvelope request(String type, String correlationId) {
    return EventEnvelope.newBuilder()
      .setType(type)
      .setMetadata(Metadata.newBuilder().setGlobalContext(GlobalContext.newBuilder()
        .setCorrelationId(correlationId).setUserId("u-grpc").setCampaignId("0")))
      .setPayload(Payload.newBuilder().setData(Struct.newBuilder()
        .putFields("slug", Value.newBuilder().setStringValue("grpc_campaign").build())))
      .build();
  }

  @Test
  void emitEventWithAwaitOutcomeAnswersTheSuccessEnvelope() throws Exception {
    EmitEventResponse response = await(nexus.emitEvent(EmitEventRequest.newBuilder()
      .setEvent(request("campaign:create_campaign:v1:requested", "corr-grpc-1")).setAwaitOutcome(true).build()));
    assertTrue(response.getAccepted());
    EventEnvelope outcome = response.getOutcome();
    assertEquals("campaign:create_campaign:v1:success", outcome.getType());
    assertEquals("corr-grpc-1", outcome.getCorrelationId());
    assertEquals("u-grpc", outcome.getMetadata().getGlobalContext().getUserId());
    assertEquals("grpc_campaign", outcome.getPayload().getData().getFieldsOrThrow("echo").getStructValue()
      .getFieldsOrThrow("slug").getStringValue());
    assertTrue(outcome.hasTimestamp());
  }

  @Test
  void failuresBecomeGrpcStatusesWithTheOutcomeMessage() throws Exception {
    assertStatus(emitRaw(request("campaign:fail:v1:requested", "c-1")), GrpcStatus.ALREADY_EXISTS,
      "campaign 'grpc_campaign' already exists");
    assertStatus(emitRaw(request("nosuch:do_it:v1:requested", "c-2")), GrpcStatus.NOT_FOUND, "no service 'nosuch'");
    assertStatus(emitRaw(request("campaign:explode:v1:requested", "c-3")), GrpcStatus.UNIMPLEMENTED,
      "has no action 'explode'");
    assertStatus(emitRaw(request("Not A Type", "c-4")), GrpcStatus.INVALID_ARGUMENT, "invalid event type");
  }

  private GrpcClientResponse<EmitEventRequest, EmitEventResponse> emitRaw(EventEnvelope envelope) throws Exception {
    GrpcClientRequest<EmitEventRequest, EmitEventResponse> req = await(grpc.request(address,
      NexusServiceGrpcClient.EmitEvent));
    GrpcClientResponse<EmitEventRequest, EmitEventResponse> response = await(req.send(EmitEventRequest.newBuilder()
      .setEvent(envelope).setAwaitOutcome(true).build()));
    await(response.end().recover(err -> io.vertx.core.Future.succeededFuture()));
    return response;
  }

  private static void assertStatus(GrpcClientResponse<?, ?> response, GrpcStatus status, String messagePart) {
    assertEquals(status, response.status());
    assertTrue(response.statusMessage().contains(messagePart), response.statusMessage());
  }

  @Test
  void subscribeEventsStreamsMatchingEventsUntilCancelled() throws Exception {
    LinkedBlockingQueue<EventEnvelope> received = new LinkedBlockingQueue<>();
    GrpcClientRequest<SubscribeEventsRequest, EventEnvelope> call = await(grpc.request(address,
      NexusServiceGrpcClient.SubscribeEvents));
    GrpcClientResponse<SubscribeEventsRequest, EventEnvelope> stream = await(call.send(SubscribeEventsRequest
      .newBuilder().addTypes("campaign:*").setCampaignId("9").build()));
    stream.handler(received::add);
    assertEquals(1, server.doors.nexusGrpc().activeStreams());

    // WHEN events are published: one of another campaign, one of another service, then the one we want
    server.nexus.publish(Event.builder("campaign:announce:v1:completed").globalContext("campaign_id", "8").build());
    server.nexus.publish(Event.builder("content:publish:v1:completed").globalContext("campaign_id", "9").build());
    server.nexus.publish(Event.builder("campaign:announce:v1:completed").globalContext("campaign_id", "9")
      .correlationId("corr-stream").data(new JsonObject().put("title", "hello")).build());
    // THEN only the matching one arrives
    EventEnvelope first = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(first, "the published event was streamed");
    assertEquals("corr-stream", first.getCorrelationId());
    assertEquals("9", first.getMetadata().getGlobalContext().getCampaignId());
    assertEquals("hello", first.getPayload().getData().getFieldsOrThrow("title").getStringValue());

    // and a request's lifecycle streams too (service events of the campaign)
    await(nexus.emitEvent(EmitEventRequest.newBuilder().setEvent(EventEnvelope.newBuilder()
      .setType("campaign:create_campaign:v1:requested").setCorrelationId("corr-life")
      .setMetadata(Metadata.newBuilder().setGlobalContext(GlobalContext.newBuilder().setCampaignId("9"))))
      .setAwaitOutcome(true).build()));
    EventEnvelope started = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(started);
    assertEquals("campaign:create_campaign:v1:started", started.getType());

    // WHEN the client cancels, the server lets go of the subscription
    call.cancel();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.doors.nexusGrpc().activeStreams() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, server.doors.nexusGrpc().activeStreams());
  }

  @Test
  void subscribeEventsOfAUserAndOfExactTypesUseBusAddresses() throws Exception {
    LinkedBlockingQueue<EventEnvelope> received = new LinkedBlockingQueue<>();
    GrpcClientResponse<SubscribeEventsRequest, EventEnvelope> stream = await(await(grpc.request(address,
      NexusServiceGrpcClient.SubscribeEvents)).send(SubscribeEventsRequest.newBuilder()
      .addTypes("campaign:create_campaign:v1:success").build()));
    stream.handler(received::add);
    await(nexus.emitEvent(EmitEventRequest.newBuilder().setEvent(request("campaign:create_campaign:v1:requested",
      "corr-exact")).setAwaitOutcome(true).build()));
    EventEnvelope success = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(success);
    assertEquals("campaign:create_campaign:v1:success", success.getType());
    assertEquals("corr-exact", success.getCorrelationId());

    GrpcClientResponse<SubscribeEventsRequest, EventEnvelope> refused = await(await(grpc.request(address,
      NexusServiceGrpcClient.SubscribeEvents)).send(SubscribeEventsRequest.newBuilder()
      .addTypes("campaign:create_campaign:v1:requested").build()));
    await(refused.end().recover(err -> io.vertx.core.Future.succeededFuture()));
    assertStatus(refused, GrpcStatus.INVALID_ARGUMENT, "cannot be subscribed to");
  }

  @Test
  void anUnknownMethodIsUnimplemented() throws Exception {
    GrpcClientRequest<Buffer, Buffer> req = await(grpc.request(address));
    req.fullMethodName("inos.nexus.v1.NexusService/NoSuchMethod");
    GrpcClientResponse<Buffer, Buffer> response = await(req.send(Buffer.buffer()));
    await(response.end().recover(err -> io.vertx.core.Future.succeededFuture()));
    assertEquals(GrpcStatus.UNIMPLEMENTED, response.status());
  }

  @Test
  void healthCheckIsServingForTheServerAndTheNexusService() throws Exception {
    for (String service : new String[] {"", "inos.nexus.v1.NexusService"}) {
      HealthCheckResponse health = await(grpc.request(address, HEALTH_CHECK)
        .compose(req -> req.send(HealthCheckRequest.newBuilder().setService(service).build()))
        .compose(GrpcClientResponse::last));
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus(), service);
    }
  }

  @Test
  void restAndGrpcShareThePort(Vertx vertx) throws Exception {
    WebClient web = WebClient.create(vertx);
    var rest = await(web.post(server.port(), "127.0.0.1", "/api/campaign_ops")
      .sendJsonObject(new JsonObject().put("action", "create_campaign")));
    assertEquals(200, rest.statusCode());
    assertEquals("UP", await(web.get(server.port(), "127.0.0.1", "/health").send()).bodyAsString());
    EmitEventResponse grpcResponse = await(nexus.emitEvent(EmitEventRequest.newBuilder()
      .setEvent(request("analytics:track:v1:completed", "c-5")).build()));
    assertTrue(grpcResponse.getAccepted());
    assertTrue(!grpcResponse.getEventId().isEmpty());
    web.close();
  }
}
