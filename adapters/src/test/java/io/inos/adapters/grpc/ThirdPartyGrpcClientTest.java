package io.inos.adapters.grpc;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ExtensionRequest;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.inos.adapters.DoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.nexus.Event;
import io.inos.nexus.ServiceDefinition;
import io.inos.proto.common.v1.EventEnvelope;
import io.inos.proto.nexus.v1.EmitEventRequest;
import io.inos.proto.nexus.v1.EmitEventResponse;
import io.inos.proto.nexus.v1.SubscribeEventsRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gRPC door seen by grpc-java, the reference gRPC implementation, instead of Vert.x's own client: a Netty
 * (shaded) channel in plaintext, i.e. h2c with prior knowledge, to the one port that also serves REST.
 *
 * <p>Reflection, health and the dynamic call work the way grpcurl does it: the client knows no INOS contract, it
 * asks the server's reflection service for the file descriptors, builds them, writes the request as JSON into a
 * {@link DynamicMessage} and calls the method by its reflected name. The streaming and error tests use the INOS
 * message classes (plain protobuf messages) with hand-made grpc-java method descriptors, as a Java client with the
 * contracts jar but without Vert.x would.
 */
@ExtendWith(VertxExtension.class)
class ThirdPartyGrpcClientTest {

  private static final String NEXUS_SERVICE = "inos.nexus.v1.NexusService";
  private static final long CALL_TIMEOUT_S = 10;

  private DoorsServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = DoorsServer.start(vertx, new WebDoorsOptions());
    await(serveInventory(server));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(CALL_TIMEOUT_S, TimeUnit.SECONDS), "the grpc-java channel terminated");
    }
  }

  /** A small service of this test's own next to the doors' {@code campaign}: it echoes what it is asked to reserve. */
  private static Future<?> serveInventory(DoorsServer server) {
    return server.nexus.serve(ServiceDefinition.builder("inventory")
      .action("reserve_item", req -> Future.succeededFuture(new JsonObject()
        .put("reserved", req.data())
        .put("user_id", req.userId())))
      .build());
  }

  // ---------------------------------------------------------------------------------------------- reflection

  @Test
  void reflectionListsTheNexusHealthAndBothReflectionServices() throws Exception {
    ServerReflectionResponse response = reflect(ServerReflectionRequest.newBuilder().setListServices("*").build());
    assertTrue(response.hasListServicesResponse(), response.toString());
    Set<String> names = response.getListServicesResponse().getServiceList().stream()
      .map(ServiceResponse::getName).collect(Collectors.toSet());
    assertTrue(names.containsAll(Set.of(NEXUS_SERVICE, "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")), names.toString());
  }

  @Test
  void reflectionGivesTheNexusFileWithItsDependenciesBuildableIntoDescriptors() throws Exception {
    ServiceDescriptor nexus = reflectService(NEXUS_SERVICE);
    assertEquals("inos/nexus/v1/nexus.proto", nexus.getFile().getName());
    MethodDescriptor emit = nexus.findMethodByName("EmitEvent");
    MethodDescriptor subscribe = nexus.findMethodByName("SubscribeEvents");
    assertNotNull(emit);
    assertNotNull(subscribe);
    assertFalse(emit.isServerStreaming());
    assertTrue(subscribe.isServerStreaming());
    assertEquals("inos.nexus.v1.EmitEventRequest", emit.getInputType().getFullName());
    // the envelope and its metadata come from other files, themselves depending on well-known types
    Descriptors.Descriptor envelope = subscribe.getOutputType();
    assertEquals("inos.common.v1.EventEnvelope", envelope.getFullName());
    assertEquals("inos/common/v1/event.proto", envelope.getFile().getName());
    assertEquals("google.protobuf.Struct", envelope.findFieldByName("payload").getMessageType()
      .findFieldByName("data").getMessageType().getFullName());
  }

  /**
   * ServerReflectionInfo is a bidi stream: a client may keep it open and send its requests on it one after the other
   * (grpc-java's own ProtoReflectionService answers each and ends only when the client does). An error answer does
   * not end the stream either.
   */
  @Test
  void reflectionAnswersSeveralRequestsOnOneStream() throws Exception {
    Answers<ServerReflectionResponse> answers = new Answers<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
      .withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS)
      .serverReflectionInfo(answers);
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    ServerReflectionResponse first = answers.next();
    assertTrue(first.hasListServicesResponse(), first.toString());
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol("inos.nope.v1.NoService").build());
    ServerReflectionResponse second = answers.next();
    assertEquals(Status.Code.NOT_FOUND.value(), second.getErrorResponse().getErrorCode(), second.toString());
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(NEXUS_SERVICE).build());
    ServerReflectionResponse third = answers.next();
    assertTrue(third.hasFileDescriptorResponse(), "the third request on the stream got " + third);
    assertEquals("inos/nexus/v1/nexus.proto", FileDescriptorProto.parseFrom(
      third.getFileDescriptorResponse().getFileDescriptorProto(0)).getName());
    requests.onCompleted();
    assertEquals("completed", answers.poll());
  }

  /**
   * Every kind of question, on one stream, about the Nexus files and about a service added to the running server
   * afterwards (a proto2 file with an extension, since INOS's own protos declare none).
   */
  @Test
  void reflectionAnswersEveryKindOfQuestionAboutTheServicesServedNow() throws Exception {
    // GIVEN a service added after the server started
    server.doors.grpc().server().addService(io.vertx.grpc.server.Service.service(
      io.vertx.grpc.common.ServiceName.create("inos.test.v1.Tagger"), taggerFile().findServiceByName("Tagger"))
      .build());
    Answers<ServerReflectionResponse> answers = new Answers<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
      .withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS)
      .serverReflectionInfo(answers);

    // list_services sees it
    ServerReflectionResponse list = ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setHost("localhost").setListServices("*").build());
    assertEquals("localhost", list.getValidHost());
    assertTrue(list.getListServicesResponse().getServiceList().stream()
      .anyMatch(s -> s.getName().equals("inos.test.v1.Tagger")), list.toString());
    // file_containing_extension, all_extension_numbers_of_type
    ServerReflectionResponse extension = ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setFileContainingExtension(ExtensionRequest.newBuilder()
        .setContainingType("inos.test.v1.Tagged").setExtensionNumber(150)).build());
    assertEquals(List.of("inos/test/v1/tags.proto"), fileNames(extension));
    assertEquals(Status.Code.NOT_FOUND.value(), ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setFileContainingExtension(ExtensionRequest.newBuilder()
        .setContainingType("inos.test.v1.Tagged").setExtensionNumber(151)).build())
      .getErrorResponse().getErrorCode());
    ServerReflectionResponse numbers = ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setAllExtensionNumbersOfType("inos.test.v1.Tagged").build());
    assertEquals("inos.test.v1.Tagged", numbers.getAllExtensionNumbersResponse().getBaseTypeName());
    assertEquals(List.of(150), numbers.getAllExtensionNumbersResponse().getExtensionNumberList());
    // a known type without extensions has none; an unknown type is NOT_FOUND
    ServerReflectionResponse none = ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setAllExtensionNumbersOfType("inos.common.v1.EventEnvelope").build());
    assertTrue(none.hasAllExtensionNumbersResponse(), none.toString());
    assertEquals(0, none.getAllExtensionNumbersResponse().getExtensionNumberCount());
    assertEquals(Status.Code.NOT_FOUND.value(), ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setAllExtensionNumbersOfType("inos.nope.v1.Type").build()).getErrorResponse().getErrorCode());
    // file_by_filename: a dependency of a service file, then no such file
    ServerReflectionResponse struct = ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setFileByFilename("google/protobuf/struct.proto").build());
    assertEquals("google/protobuf/struct.proto", fileNames(struct).get(0));
    assertEquals(Status.Code.NOT_FOUND.value(), ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setFileByFilename("inos/nope.proto").build()).getErrorResponse().getErrorCode());
    // file_containing_symbol for a method and an extension, with each file's dependencies after it
    ServerReflectionResponse method = ask(requests, answers, ServerReflectionRequest.newBuilder()
      .setFileContainingSymbol(NEXUS_SERVICE + ".EmitEvent").build());
    List<String> files = fileNames(method);
    assertEquals("inos/nexus/v1/nexus.proto", files.get(0));
    assertTrue(files.containsAll(List.of("inos/common/v1/event.proto", "google/protobuf/struct.proto")),
      files.toString());
    assertEquals(List.of("inos/test/v1/tags.proto"), fileNames(ask(requests, answers,
      ServerReflectionRequest.newBuilder().setFileContainingSymbol("inos.test.v1.colour").build())));
    // a request that asks nothing
    ServerReflectionResponse empty = ask(requests, answers, ServerReflectionRequest.getDefaultInstance());
    assertEquals(Status.Code.UNIMPLEMENTED.value(), empty.getErrorResponse().getErrorCode(), empty.toString());

    requests.onCompleted();
    assertEquals("completed", answers.poll());
  }

  @Test
  void reflectionOfAnUnknownSymbolAnswersAnErrorResponse() throws Exception {
    ServerReflectionResponse response = reflect(ServerReflectionRequest.newBuilder()
      .setFileContainingSymbol("inos.nope.v1.NoService").build());
    assertTrue(response.hasErrorResponse(), response.toString());
    assertEquals(Status.Code.NOT_FOUND.value(), response.getErrorResponse().getErrorCode());
  }

  /**
   * {@code grpc.reflection.v1alpha}, which older clients use, through grpc-java's v1alpha stub: the same answers on
   * one stream, and the v1alpha service describes itself under its own package.
   */
  @Test
  void reflectionV1alphaAnswersSeveralRequestsOnOneStream() throws Exception {
    Answers<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers = new Answers<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
      io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS)
        .serverReflectionInfo(answers);

    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("*").build());
    io.grpc.reflection.v1alpha.ServerReflectionResponse list = answers.next();
    Set<String> names = list.getListServicesResponse().getServiceList().stream()
      .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).collect(Collectors.toSet());
    assertTrue(names.containsAll(Set.of(NEXUS_SERVICE, "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection")), list.toString());

    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
      .setFileContainingSymbol(NEXUS_SERVICE).build());
    io.grpc.reflection.v1alpha.ServerReflectionResponse nexus = answers.next();
    assertTrue(nexus.hasFileDescriptorResponse(), nexus.toString());
    assertEquals("inos/nexus/v1/nexus.proto",
      FileDescriptorProto.parseFrom(nexus.getFileDescriptorResponse().getFileDescriptorProto(0)).getName());

    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
      .setFileContainingSymbol("grpc.reflection.v1alpha.ServerReflection").build());
    io.grpc.reflection.v1alpha.ServerReflectionResponse self = answers.next();
    FileDescriptor file = FileDescriptor.buildFrom(
      FileDescriptorProto.parseFrom(self.getFileDescriptorResponse().getFileDescriptorProto(0)),
      new FileDescriptor[0]);
    assertEquals("grpc/reflection/v1alpha/reflection.proto", file.getName());
    MethodDescriptor info = file.findServiceByName("ServerReflection").findMethodByName("ServerReflectionInfo");
    assertTrue(info.isClientStreaming() && info.isServerStreaming());
    assertEquals("grpc.reflection.v1alpha.ServerReflectionRequest", info.getInputType().getFullName());
    assertEquals("grpc.reflection.v1alpha.ServerReflectionResponse", info.getOutputType().getFullName());

    requests.onCompleted();
    assertEquals("completed", answers.poll());
  }

  // -------------------------------------------------------------------------------------------------- health

  @Test
  void healthCheckIsServingForTheServerAndTheNexusServiceAndNotFoundForOthers() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
      .withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    assertEquals(HealthCheckResponse.ServingStatus.SERVING,
      health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING,
      health.check(HealthCheckRequest.newBuilder().setService(NEXUS_SERVICE).build()).getStatus());
    // the health protocol: an unknown service is NOT_FOUND
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
      () -> health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  // ----------------------------------------------------------------------------------- dynamic call (grpcurl)

  @Test
  void aDynamicEmitEventBuiltFromReflectionOnlyGetsTheSuccessOutcome() throws Exception {
    // GIVEN the method known only through reflection
    MethodDescriptor emit = reflectService(NEXUS_SERVICE).findMethodByName("EmitEvent");
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> method = dynamicMethod(emit);
    // and a request written as JSON, like `grpcurl -d '{…}' host:port inos.nexus.v1.NexusService/EmitEvent`
    DynamicMessage.Builder request = DynamicMessage.newBuilder(emit.getInputType());
    JsonFormat.parser().merge("""
      {"event": {"type": "inventory:reserve_item:v1:requested", "correlation_id": "corr-3p-dyn",
                 "metadata": {"global_context": {"user_id": "u-3p", "campaign_id": "0"}},
                 "payload": {"data": {"sku": "A-1", "quantity": 2}}},
       "await_outcome": true}""", request);

    // WHEN grpc-java calls it
    DynamicMessage response = ClientCalls.blockingUnaryCall(channel, method,
      CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS), request.build());

    // THEN the response, read through the reflected descriptor, carries the :success outcome of the same request
    JsonObject json = new JsonObject(JsonFormat.printer().preservingProtoFieldNames().print(response));
    assertTrue(json.getBoolean("accepted"), json.encode());
    assertFalse(json.getString("event_id", "").isEmpty(), json.encode());
    JsonObject outcome = json.getJsonObject("outcome");
    assertEquals("inventory:reserve_item:v1:success", outcome.getString("type"), json.encode());
    assertEquals("corr-3p-dyn", outcome.getString("correlation_id"));
    assertEquals("u-3p", outcome.getJsonObject("metadata").getJsonObject("global_context").getString("user_id"));
    JsonObject reserved = outcome.getJsonObject("payload").getJsonObject("data").getJsonObject("reserved");
    assertEquals("A-1", reserved.getString("sku"));
    assertEquals(2, reserved.getNumber("quantity").intValue());
    // the same, straight from the dynamic message fields
    DynamicMessage outcomeMessage = (DynamicMessage) response.getField(
      emit.getOutputType().findFieldByName("outcome"));
    assertEquals("inventory:reserve_item:v1:success",
      outcomeMessage.getField(outcomeMessage.getDescriptorForType().findFieldByName("type")));
  }

  // ------------------------------------------------------------------------------------------ server stream

  @Test
  void subscribeEventsStreamsToGrpcJavaAndLetsGoOnCancel() throws Exception {
    ClientCall<SubscribeEventsRequest, EventEnvelope> call = channel.newCall(
      NexusMethods.SUBSCRIBE_EVENTS, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
    StreamListener listener = new StreamListener();
    call.start(listener, new Metadata());
    call.sendMessage(SubscribeEventsRequest.newBuilder().addTypes("inventory:*").build());
    call.halfClose();
    call.request(Integer.MAX_VALUE);
    // the door sends the response headers once the subscription is live
    assertNotNull(listener.headers.get(CALL_TIMEOUT_S, TimeUnit.SECONDS),
      () -> "the call closed before its headers: " + listener.closed.getNow(null));
    assertEquals(1, server.doors.nexusGrpc().activeStreams());

    // WHEN an event of another service, then one of the inventory, are published on the Nexus
    server.nexus.publish(Event.builder("campaign:announce:v1:completed").build());
    server.nexus.publish(Event.builder("inventory:restock:v1:completed").correlationId("corr-3p-stream")
      .data(new JsonObject().put("sku", "B-2")).build());
    // THEN grpc-java receives the inventory one only
    EventEnvelope first = listener.messages.poll(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    assertNotNull(first, "the published event was streamed");
    assertEquals("inventory:restock:v1:completed", first.getType());
    assertEquals("corr-3p-stream", first.getCorrelationId());
    assertEquals("B-2", first.getPayload().getData().getFieldsOrThrow("sku").getStringValue());

    // WHEN grpc-java cancels the call
    call.cancel("the test has what it wanted", null);
    Status closed = listener.closed.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    assertEquals(Status.Code.CANCELLED, closed.getCode());
    // THEN the server lets go of the subscription (polled with a deadline: the RST_STREAM travels on its own)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_TIMEOUT_S);
    while (server.doors.nexusGrpc().activeStreams() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, server.doors.nexusGrpc().activeStreams());
    // and the connection is still good for the next call
    EmitEventResponse published = ClientCalls.blockingUnaryCall(channel, NexusMethods.EMIT_EVENT,
      CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS), EmitEventRequest.newBuilder()
        .setEvent(EventEnvelope.newBuilder().setType("inventory:restock:v1:completed")).build());
    assertTrue(published.getAccepted());
  }

  // ------------------------------------------------------------------------------------------- error mapping

  @Test
  void anUnknownServiceIsNotFoundWithAMessage() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
      channel, NexusMethods.EMIT_EVENT, CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS),
      EmitEventRequest.newBuilder().setAwaitOutcome(true).setEvent(EventEnvelope.newBuilder()
        .setType("nosuch:do_it:v1:requested").setCorrelationId("corr-3p-404")).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.toString());
    assertNotNull(e.getStatus().getDescription());
    assertTrue(e.getStatus().getDescription().contains("no service 'nosuch'"), e.getStatus().getDescription());
  }

  @Test
  void aMethodThatDoesNotExistIsUnimplemented() {
    io.grpc.MethodDescriptor<EmitEventRequest, EmitEventResponse> nope = NexusMethods.EMIT_EVENT.toBuilder()
      .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(NEXUS_SERVICE, "Nope")).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
      channel, nope, CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS),
      EmitEventRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode(), e.toString());
  }

  // ------------------------------------------------------------------------------------------------- helpers

  /** One request on its own reflection stream (grpc-java's generated async stub), its one answer. */
  private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
      .withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS)
      .serverReflectionInfo(completing(answer));
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(CALL_TIMEOUT_S * 2, TimeUnit.SECONDS);
  }

  /**
   * What grpcurl does to describe a service: file_containing_symbol, then every file the answer names as a
   * dependency (asking file_by_filename for any the answer left out), built bottom-up into descriptors.
   */
  private ServiceDescriptor reflectService(String fullName) throws Exception {
    ServerReflectionResponse response = reflect(ServerReflectionRequest.newBuilder()
      .setFileContainingSymbol(fullName).build());
    assertTrue(response.hasFileDescriptorResponse(), response.toString());
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    List<FileDescriptorProto> answered = new ArrayList<>();
    for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
      protos.put(proto.getName(), proto);
      answered.add(proto);
    }
    // the first file is the one that holds the symbol
    FileDescriptor file = build(answered.get(0).getName(), protos, new HashMap<>());
    ServiceDescriptor service = file.findServiceByName(fullName.substring(fullName.lastIndexOf('.') + 1));
    assertNotNull(service, fullName + " in " + file.getName());
    assertEquals(fullName, service.getFullName());
    return service;
  }

  private FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
                               Map<String, FileDescriptor> built) throws Exception {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      ServerReflectionResponse byName = reflect(ServerReflectionRequest.newBuilder().setFileByFilename(name).build());
      assertTrue(byName.hasFileDescriptorResponse(), "file " + name + ": " + byName);
      for (var bytes : byName.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        FileDescriptorProto p = FileDescriptorProto.parseFrom(bytes);
        protos.putIfAbsent(p.getName(), p);
      }
      proto = protos.get(name);
      assertNotNull(proto, "reflection gave no file " + name);
    }
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, protos, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }

  /** A grpc-java method descriptor for a reflected method, with DynamicMessage marshallers (grpc-protobuf's). */
  private static io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> dynamicMethod(MethodDescriptor method) {
    return io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
      .setType(methodType(method))
      .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(method.getService().getFullName(),
        method.getName()))
      .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
      .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
      .build();
  }

  private static io.grpc.MethodDescriptor.MethodType methodType(MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
        : io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
      : io.grpc.MethodDescriptor.MethodType.UNARY;
  }

  /** Sends {@code request} on the open stream and returns its answer, which must echo the request. */
  private static ServerReflectionResponse ask(StreamObserver<ServerReflectionRequest> requests,
                                              Answers<ServerReflectionResponse> answers,
                                              ServerReflectionRequest request) throws Exception {
    requests.onNext(request);
    ServerReflectionResponse answer = answers.next();
    assertEquals(request, answer.getOriginalRequest(), answer.toString());
    return answer;
  }

  private static List<String> fileNames(ServerReflectionResponse response) throws Exception {
    assertTrue(response.hasFileDescriptorResponse(), response.toString());
    List<String> names = new ArrayList<>();
    for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      names.add(FileDescriptorProto.parseFrom(bytes).getName());
    }
    return names;
  }

  /**
   * {@code inos/test/v1/tags.proto} (proto2): {@code message Tagged { extensions 100 to 200; }},
   * {@code extend Tagged { optional string colour = 150; }}, {@code message Empty {}} and
   * {@code service Tagger { rpc Tag(Tagged) returns (Empty); }}.
   */
  private static FileDescriptor taggerFile() throws Exception {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
      .setName("inos/test/v1/tags.proto")
      .setPackage("inos.test.v1")
      .setSyntax("proto2")
      .addMessageType(DescriptorProto.newBuilder().setName("Tagged")
        .addExtensionRange(DescriptorProto.ExtensionRange.newBuilder().setStart(100).setEnd(201)))
      .addMessageType(DescriptorProto.newBuilder().setName("Empty"))
      .addExtension(FieldDescriptorProto.newBuilder().setName("colour").setNumber(150)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).setType(FieldDescriptorProto.Type.TYPE_STRING)
        .setExtendee(".inos.test.v1.Tagged"))
      .addService(ServiceDescriptorProto.newBuilder().setName("Tagger")
        .addMethod(MethodDescriptorProto.newBuilder().setName("Tag")
          .setInputType(".inos.test.v1.Tagged").setOutputType(".inos.test.v1.Empty")))
      .build();
    return FileDescriptor.buildFrom(proto, new FileDescriptor[0]);
  }

  /** The answers of one reflection stream, in order, then its error or {@code "completed"}. */
  private static final class Answers<T> implements StreamObserver<T> {
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      queue.add(t);
    }

    @Override
    public void onCompleted() {
      queue.add("completed");
    }

    /** @return what came next on the stream, waited for up to the call timeout */
    Object poll() throws InterruptedException {
      Object next = queue.poll(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      assertNotNull(next, "nothing came on the stream within " + CALL_TIMEOUT_S + " s");
      return next;
    }

    /** @return the next answer, failing when the stream ended or failed instead */
    @SuppressWarnings("unchecked")
    T next() throws InterruptedException {
      Object next = poll();
      if (next instanceof Throwable t) {
        throw new AssertionError("the stream failed instead of answering", t);
      }
      assertFalse("completed".equals(next), "the stream ended instead of answering");
      return (T) next;
    }
  }

  /** Completes {@code answer} with the first message, or with the call's error, or fails it on an empty end. */
  private static <T> StreamObserver<T> completing(CompletableFuture<T> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException("the stream ended without an answer"));
      }
    };
  }

  /** grpc-java method descriptors of the Nexus service over the INOS message classes (no generated grpc-java stub). */
  private static final class NexusMethods {

    static final io.grpc.MethodDescriptor<EmitEventRequest, EmitEventResponse> EMIT_EVENT =
      io.grpc.MethodDescriptor.<EmitEventRequest, EmitEventResponse>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(NEXUS_SERVICE, "EmitEvent"))
        .setRequestMarshaller(ProtoUtils.marshaller(EmitEventRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(EmitEventResponse.getDefaultInstance()))
        .build();

    static final io.grpc.MethodDescriptor<SubscribeEventsRequest, EventEnvelope> SUBSCRIBE_EVENTS =
      io.grpc.MethodDescriptor.<SubscribeEventsRequest, EventEnvelope>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(NEXUS_SERVICE, "SubscribeEvents"))
        .setRequestMarshaller(ProtoUtils.marshaller(SubscribeEventsRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(EventEnvelope.getDefaultInstance()))
        .build();

    private NexusMethods() {
    }
  }

  /** A grpc-java call listener that hands headers, messages and the closing status to the test thread. */
  private static final class StreamListener extends ClientCall.Listener<EventEnvelope> {
    final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    final LinkedBlockingQueue<EventEnvelope> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();

    @Override
    public void onHeaders(Metadata received) {
      headers.complete(received);
    }

    @Override
    public void onMessage(EventEnvelope message) {
      messages.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      headers.complete(null);
      closed.complete(status);
    }
  }
}
