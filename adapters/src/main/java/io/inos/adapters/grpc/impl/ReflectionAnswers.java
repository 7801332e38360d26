package io.inos.adapters.grpc.impl;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.reflection.v1.ErrorResponse;
import io.vertx.grpc.reflection.v1.ExtensionNumberResponse;
import io.vertx.grpc.reflection.v1.ExtensionRequest;
import io.vertx.grpc.reflection.v1.FileDescriptorResponse;
import io.vertx.grpc.reflection.v1.ListServiceResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import io.vertx.grpc.server.GrpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to one reflection request, from what a {@link GrpcServer} serves at that moment: services can be added
 * after reflection, so each answer reads {@link GrpcServer#services()} again. A question that has no answer gets an
 * {@code error_response} (NOT_FOUND, UNIMPLEMENTED, INTERNAL), never a failed call: the stream goes on.
 */
final class ReflectionAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(ReflectionAnswers.class);

  private final GrpcServer server;

  ReflectionAnswers(GrpcServer server) {
    this.server = server;
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    try {
      DescriptorIndex index = DescriptorIndex.of(server.services());
      return switch (request.getMessageRequestCase()) {
        case LIST_SERVICES -> listServices(request, index);
        case FILE_BY_FILENAME -> files(request, index.fileByName(request.getFileByFilename()),
          "no file '" + request.getFileByFilename() + "'");
        case FILE_CONTAINING_SYMBOL -> files(request, index.fileContainingSymbol(request.getFileContainingSymbol()),
          "no symbol '" + request.getFileContainingSymbol() + "'");
        case FILE_CONTAINING_EXTENSION -> fileContainingExtension(request, index);
        case ALL_EXTENSION_NUMBERS_OF_TYPE -> extensionNumbers(request, index);
        default -> error(request, GrpcStatus.UNIMPLEMENTED,
          "not implemented: " + request.getMessageRequestCase());
      };
    } catch (RuntimeException e) {
      LOG.error("reflection failed to answer {}", request.getMessageRequestCase(), e);
      return error(request, GrpcStatus.INTERNAL, "reflection failed: " + e);
    }
  }

  private static ServerReflectionResponse listServices(ServerReflectionRequest request, DescriptorIndex index) {
    ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
    for (String name : index.serviceNames()) {
      list.addService(ServiceResponse.newBuilder().setName(name));
    }
    return answering(request).setListServicesResponse(list).build();
  }

  private static ServerReflectionResponse fileContainingExtension(ServerReflectionRequest request,
                                                                  DescriptorIndex index) {
    ExtensionRequest extension = request.getFileContainingExtension();
    return files(request,
      index.fileContainingExtension(extension.getContainingType(), extension.getExtensionNumber()),
      "no extension " + extension.getExtensionNumber() + " of '" + extension.getContainingType() + "'");
  }

  private static ServerReflectionResponse extensionNumbers(ServerReflectionRequest request, DescriptorIndex index) {
    String type = request.getAllExtensionNumbersOfType();
    if (!index.isMessageType(type)) {
      return error(request, GrpcStatus.NOT_FOUND, "no message type '" + type + "'");
    }
    return answering(request).setAllExtensionNumbersResponse(ExtensionNumberResponse.newBuilder()
      .setBaseTypeName(type)
      .addAllExtensionNumber(index.extensionNumbersOf(type))).build();
  }

  /** The file and every file it depends on, which is what grpc-java's reflection sends, so clients need no more. */
  private static ServerReflectionResponse files(ServerReflectionRequest request, FileDescriptor file,
                                                String notFound) {
    if (file == null) {
      return error(request, GrpcStatus.NOT_FOUND, notFound);
    }
    FileDescriptorResponse.Builder files = FileDescriptorResponse.newBuilder();
    for (FileDescriptor each : DescriptorIndex.withDependencies(file)) {
      files.addFileDescriptorProto(each.toProto().toByteString());
    }
    return answering(request).setFileDescriptorResponse(files).build();
  }

  private static ServerReflectionResponse error(ServerReflectionRequest request, GrpcStatus status, String message) {
    return answering(request).setErrorResponse(ErrorResponse.newBuilder()
      .setErrorCode(status.code)
      .setErrorMessage(message)).build();
  }

  private static ServerReflectionResponse.Builder answering(ServerReflectionRequest request) {
    return ServerReflectionResponse.newBuilder()
      .setValidHost(request.getHost())
      .setOriginalRequest(request);
  }
}
