package io.inos.adapters.grpc.impl;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;

/**
 * gRPC server reflection ({@code grpc.reflection.<version>.ServerReflection/ServerReflectionInfo}) as the protocol
 * has it: a bidirectional stream on which every request gets one response, and which ends when the client ends its
 * side. (vertx-grpc-reflection 5.0.7 ends the stream after its first answer, so a client that keeps the stream for
 * several requests, as grpc-java allows, waits forever for the second.)
 *
 * <p>{@link #v1()} and {@link #v1alpha()} are the same service under two names: the two protocols have the same
 * messages with the same field numbers, so both use vertx-grpc-reflection's generated v1 classes. Each is described
 * by its own file ({@code grpc/reflection/<version>/reflection.proto}), so reflection describes itself correctly too.
 */
public final class StreamingReflection implements Service {

  private static final String METHOD = "ServerReflectionInfo";
  private static final FileDescriptorProto V1_FILE = ServerReflectionProto.getDescriptor().toProto();
  private static final ServiceDescriptor V1 = describe("v1");
  private static final ServiceDescriptor V1ALPHA = describe("v1alpha");

  private final ServiceDescriptor descriptor;
  private final ServiceName name;

  private StreamingReflection(ServiceDescriptor descriptor) {
    this.descriptor = descriptor;
    this.name = ServiceName.create(descriptor.getFullName());
  }

  /** @return {@code grpc.reflection.v1.ServerReflection} */
  public static StreamingReflection v1() {
    return new StreamingReflection(V1);
  }

  /** @return {@code grpc.reflection.v1alpha.ServerReflection}, which older clients use */
  public static StreamingReflection v1alpha() {
    return new StreamingReflection(V1ALPHA);
  }

  @Override
  public ServiceName name() {
    return name;
  }

  @Override
  public ServiceDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public void bind(GrpcServer server) {
    ReflectionAnswers answers = new ReflectionAnswers(server);
    ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> method = ServiceMethod.server(name, METHOD,
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionRequest.newBuilder()));
    server.callHandler(method, call -> serve(call, answers));
  }

  private static void serve(GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse> call,
                            ReflectionAnswers answers) {
    GrpcServerResponse<ServerReflectionRequest, ServerReflectionResponse> response = call.response();
    call.handler(request -> {
      response.write(answers.answer(request));
      // a client that asks without reading is read no further until it has caught up
      if (response.writeQueueFull()) {
        call.pause();
        response.drainHandler(v -> call.resume());
      }
    });
    call.endHandler(v -> response.end());
  }

  /**
   * vertx-grpc-reflection's {@code reflection.proto} (package {@code grpc.reflection.v1}) as the file of
   * {@code version}: its name as grpc ships it, the package and the type references moved to that version, no
   * Java/Go options (they name vertx's classes).
   */
  private static ServiceDescriptor describe(String version) {
    String from = "." + V1_FILE.getPackage() + ".";
    String to = ".grpc.reflection." + version + ".";
    FileDescriptorProto.Builder file = V1_FILE.toBuilder()
      .setName("grpc/reflection/" + version + "/reflection.proto")
      .setPackage("grpc.reflection." + version)
      .clearOptions();
    // reflection.proto has no nested messages: the top-level fields and the methods hold every type reference
    for (DescriptorProto.Builder message : file.getMessageTypeBuilderList()) {
      for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
        if (field.hasTypeName()) {
          field.setTypeName(moved(field.getTypeName(), from, to));
        }
      }
    }
    for (ServiceDescriptorProto.Builder service : file.getServiceBuilderList()) {
      for (MethodDescriptorProto.Builder method : service.getMethodBuilderList()) {
        method.setInputType(moved(method.getInputType(), from, to))
          .setOutputType(moved(method.getOutputType(), from, to));
      }
    }
    try {
      return FileDescriptor.buildFrom(file.build(), new FileDescriptor[0]).findServiceByName("ServerReflection");
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("cannot describe grpc.reflection." + version, e);
    }
  }

  private static String moved(String typeName, String from, String to) {
    return typeName.startsWith(from) ? to + typeName.substring(from.length()) : typeName;
  }
}
